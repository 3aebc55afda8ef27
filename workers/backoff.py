"""Waiting longer after each failure, up to a cap: how the long-running commands ride out a Redis or
MinIO outage without a supervisor restarting them."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from common.errors import AppError

log = logging.getLogger(__name__)


def is_outage(exc: BaseException) -> bool:
    """A server the work needs is away (Redis, MinIO, PostgreSQL), as opposed to bad input or a bug."""
    if isinstance(exc, AppError):
        return exc.status >= 500
    return isinstance(exc, (RedisError, ConnectionError, TimeoutError, OSError))


@dataclass
class Backoff:
    first: float = 1.0
    cap: float = 30.0
    _delay: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._delay = self.first

    def wait(self, what: str, exc: BaseException) -> None:
        """Log the outage (its kind, never its address) and sleep; each call waits twice as long."""
        log.warning("%s: %s; trying again in %.0f s", what, type(exc).__name__, self._delay)
        time.sleep(self._delay)
        self._delay = min(self.cap, self._delay * 2)

    def reset(self) -> None:
        self._delay = self.first
