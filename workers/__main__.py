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

from .backoff import Backoff, is_outage
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
    queue = RqJobQueue(settings, connect(settings, patient=True))
    if args.command == "work":
        work(queue, burst=args.burst)
        return
    services = Services(settings)
    if args.command == "hotfolder":
        if not args.folder:
            parser.error("hotfolder needs the folder to watch")
        folder = HotFolder(Path(args.folder), lambda data, name, dossier: submit(
            Submission(data, name, None, None, dossier), services, queue).id)
        folder.run(args.every or 1.0)
        return
    reconcile_every(services, queue, args.every)


def work(queue: RqJobQueue, *, burst: bool) -> None:
    """An RQ worker that outlives Redis outages: RQ itself waits while idle; if Redis goes away while
    a job runs and stays away past the client's retries, the worker is started again after a pause
    (the interrupted job is found by the reconciler)."""
    backoff = Backoff()
    while True:
        try:
            worker = Worker([queue.rq], connection=queue.connection, job_monitoring_interval=HEARTBEAT_S)
            worker.work(burst=burst, with_scheduler=True)
            return
        except Exception as exc:
            if not is_outage(exc):
                raise
            backoff.wait("worker lost Redis", exc)


def reconcile_every(services: Services, queue: RqJobQueue, every: float) -> None:
    """Once (every=0: an outage is an error), or every `every` seconds until stopped, riding out outages."""
    backoff = Backoff(first=max(every, 1.0))
    while True:
        try:
            requeued = reconcile(services, queue)
        except Exception as exc:
            if not every or not is_outage(exc):
                raise
            backoff.wait("reconcile", exc)
            continue
        backoff.reset()
        log.info("reconcile: %d receipt(s) queued again", len(requeued))
        if not every:
            return
        time.sleep(every)


if __name__ == "__main__":  # not when a forkserver child imports it
    main()
