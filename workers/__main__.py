"""`python -m workers [--burst]`: an RQ worker on the digitize queue, configured from DIGITIZE_*.
`python -m workers reconcile [--every S]`: queue again what was received but never finished.
`python -m workers hotfolder DIR [--every S]`: take scanners' files from DIR (see workers/hotfolder.py).

This is a composition root: it builds the services and the RQ job queue and hands them in."""
import argparse
import logging
import time
from pathlib import Path

from rq import Worker

from common.runtime import limit_threads
from digitize.intake import submit
from digitize.pipeline import Submission
from digitize.services import Services
from digitize.settings import Settings

from .hotfolder import HotFolder
from .queue import HEARTBEAT_S, RqJobQueue, connect, reconcile

log = logging.getLogger("workers")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m workers")
    parser.add_argument("command", nargs="?", default="work", choices=["work", "reconcile", "hotfolder"])
    parser.add_argument("folder", nargs="?", help="hotfolder: the directory scanners write into")
    parser.add_argument("--burst", action="store_true", help="work: exit when the queue is empty")
    parser.add_argument("--every", type=float, default=0,
                        help="reconcile: repeat every S seconds (0: once); hotfolder: look every S seconds (1)")
    args = parser.parse_args()
    limit_threads()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    queue = RqJobQueue(settings, connect(settings))
    if args.command == "work":
        worker = Worker([queue.rq], connection=queue.connection, job_monitoring_interval=HEARTBEAT_S)
        worker.work(burst=args.burst, with_scheduler=True)
        return
    services = Services(settings)
    if args.command == "hotfolder":
        if not args.folder:
            parser.error("hotfolder needs the folder to watch")
        folder = HotFolder(Path(args.folder), lambda data, name, dossier: submit(
            Submission(data, name, None, None, dossier), services, queue).id)
        folder.run(args.every or 1.0)
        return
    while True:
        requeued = reconcile(services, queue)
        log.info("reconcile: %d receipt(s) queued again", len(requeued))
        if not args.every:
            return
        time.sleep(args.every)


if __name__ == "__main__":  # not when a forkserver child imports it
    main()
