"""`python -m workers [--burst]`: an RQ worker on the digitize queue, configured from DIGITIZE_*.
`python -m workers reconcile [--every S]`: queue again what was received but never finished."""
import argparse
import logging
import os
import time

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from rq import Worker  # noqa: E402

from digitize.services import Services  # noqa: E402
from digitize.settings import Settings  # noqa: E402

from .queue import connect, queue, reconcile  # noqa: E402

log = logging.getLogger("workers")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m workers")
    parser.add_argument("command", nargs="?", default="work", choices=["work", "reconcile"])
    parser.add_argument("--burst", action="store_true", help="work: exit when the queue is empty")
    parser.add_argument("--every", type=float, default=0, help="reconcile: repeat every S seconds (0: once)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    redis = connect(settings)
    if args.command == "work":
        Worker([queue(settings, redis)], connection=redis).work(burst=args.burst, with_scheduler=True)
        return
    services = Services(settings)
    while True:
        requeued = reconcile(services, queue(settings, redis))
        log.info("reconcile: %d receipt(s) queued again", len(requeued))
        if not args.every:
            return
        time.sleep(args.every)


main()
