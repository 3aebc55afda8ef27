"""Throttling of failed logins and unknown API keys, with the `limits` library. Its counters live in
Redis, so every API process sees the same failures. An account with too many failed logins is locked
for the window; an address with too many failures of any kind is refused for the window.

If the counters cannot be reached the throttle lets requests through and says so in the log: logins
must not stop because Redis is restarting, and the passwords are argon2id-hashed anyway."""
from __future__ import annotations

import logging

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from common.errors import AppError

log = logging.getLogger(__name__)


class TooManyAttempts(AppError):
    status = 429


ACCOUNT_LOCKED = ("account_locked", "Tài khoản tạm khóa vì đăng nhập sai nhiều lần; vui lòng thử lại sau.",
                  "Too many failed logins: the account is locked for a while.")
CLIENT_BLOCKED = ("too_many_attempts", "Quá nhiều lần đăng nhập hoặc khóa truy cập sai; vui lòng thử lại sau.",
                  "Too many failed attempts from this address; try again later.")


class Throttle:
    def __init__(self, storage_url: str, *, per_account: str, per_client: str):
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url))
        self.per_account, self.per_client = parse(per_account), parse(per_client)

    def check(self, *, client: str | None, account: str | None = None) -> None:
        """Raises TooManyAttempts while the address or the account is over its failures."""
        if client and not self._test(self.per_client, "client", client):
            raise TooManyAttempts(*CLIENT_BLOCKED)
        if account and not self._test(self.per_account, "account", account):
            raise TooManyAttempts(*ACCOUNT_LOCKED)

    def failed(self, *, client: str | None, account: str | None = None) -> None:
        try:
            if client:
                self.limiter.hit(self.per_client, "client", client)
            if account:
                self.limiter.hit(self.per_account, "account", account)
        except Exception as exc:  # counters away: noted, not fatal
            log.warning("throttle counters unavailable: %s", type(exc).__name__)

    def succeeded(self, *, account: str) -> None:
        try:
            self.limiter.clear(self.per_account, "account", account)
        except Exception as exc:
            log.warning("throttle counters unavailable: %s", type(exc).__name__)

    def _test(self, item, *identifiers: str) -> bool:
        try:
            return self.limiter.test(item, *identifiers)
        except Exception as exc:
            log.warning("throttle counters unavailable: %s", type(exc).__name__)
            return True
