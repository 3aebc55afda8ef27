"""`python -m workers [--burst]`: an RQ worker on the digitize queue, configured from DIGITIZE_*."""
import argparse
import logging
import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from rq import Worker  # noqa: E402

from digitize.settings import Settings  # noqa: E402

from .queue import connect, queue  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m workers")
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    redis = connect(settings)
    Worker([queue(settings, redis)], connection=redis).work(burst=args.burst, with_scheduler=True)


main()
