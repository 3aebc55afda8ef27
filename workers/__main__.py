"""`python -m workers [--burst]`: an RQ worker on the digitize queue, configured from DIGITIZE_*.
`python -m workers reconcile [--every S]`: queue again what was received but never finished.
`python -m workers hotfolder DIR [--every S]`: take scanners' files from DIR (see workers/hotfolder.py)."""
import argparse
import logging
import os
import time

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from rq import Worker  # noqa: E402

from digitize.services import Services  # noqa: E402
from digitize.settings import Settings  # noqa: E402

from .hotfolder import HotFolder  # noqa: E402
from .queue import HEARTBEAT_S, connect, queue, reconcile  # noqa: E402

log = logging.getLogger("workers")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m workers")
    parser.add_argument("command", nargs="?", default="work", choices=["work", "reconcile", "hotfolder"])
    parser.add_argument("folder", nargs="?", help="hotfolder: the directory scanners write into")
    parser.add_argument("--burst", action="store_true", help="work: exit when the queue is empty")
    parser.add_argument("--every", type=float, default=0,
                        help="reconcile: repeat every S seconds (0: once); hotfolder: look every S seconds (1)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    redis = connect(settings)
    if args.command == "work":
        worker = Worker([queue(settings, redis)], connection=redis, job_monitoring_interval=HEARTBEAT_S)
        worker.work(burst=args.burst, with_scheduler=True)
        return
    services = Services(settings)
    if args.command == "hotfolder":
        from pathlib import Path

        from digitize.intake import submit
        from digitize.pipeline import Submission

        if not args.folder:
            parser.error("hotfolder needs the folder to watch")
        q = queue(settings, redis)
        folder = HotFolder(Path(args.folder), lambda data, name, dossier: submit(
            Submission(data, name, None, None, dossier), services, q).id)
        folder.run(args.every or 1.0)
        return
    while True:
        requeued = reconcile(services, queue(settings, redis))
        log.info("reconcile: %d receipt(s) queued again", len(requeued))
        if not args.every:
            return
        time.sleep(args.every)


main()
