"""API keys and roles. Each endpoint names the roles it admits; admin is admitted everywhere."""
from __future__ import annotations

import hashlib
import hmac
import logging

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from storage.people import WebSession

from ..audit import Actor
from ..errors import ConfigurationError
from ..roles import ROLES
from .clients import client_address
from .errors import Forbidden, Unauthenticated

log = logging.getLogger(__name__)
Caller = Actor  # who calls the HTTP service: a person or a system, with their address
MIN_KEY_LENGTH = 8  # an empty or tiny key would let anyone in
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")
_bearer = HTTPBearer(auto_error=False, description="the API key as a bearer token")



def parse_keys(spec: str) -> dict[bytes, tuple[str, str]]:
    """'name:role:key,…' → {sha256(key): (name, role)}; the keys themselves are not kept."""
    keys = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, role, key = (item.split(":", 2) + ["", ""])[:3]
        if role not in ROLES:
            raise _bad_keys(f"unknown role {role!r} for API key {name!r}; roles: {', '.join(ROLES)}")
        if len(key) < MIN_KEY_LENGTH:
            raise _bad_keys(f"the API key of {name!r} is shorter than {MIN_KEY_LENGTH} characters")
        keys[hashlib.sha256(key.encode()).digest()] = (name, role)
    return keys


def _bad_keys(why: str) -> ConfigurationError:
    return ConfigurationError("invalid_api_keys", "Cấu hình khóa truy cập (DIGITIZE_API_KEYS) không hợp lệ.",
                              f"DIGITIZE_API_KEYS: {why}.")


def identify(keys: dict[bytes, tuple[str, str]], presented: str) -> tuple[str, str] | None:
    """(name, role) of the key presented, compared in constant time; None for an unknown key."""
    digest = hashlib.sha256(presented.encode()).digest()
    return next((who for d, who in keys.items() if hmac.compare_digest(d, digest)), None)


def web_session(state, session_id: str | None) -> WebSession | None:
    """The web session with this id, if still open and, when opened with an API key, that key is still
    configured for the same name and role (removing a key from the configuration ends its sessions)."""
    if not session_id:
        return None
    found = state.services.people.session(session_id)
    if found is not None and found.via == "key":
        if state.api_keys.get(bytes.fromhex(found.key_sha256 or "")) != (found.name, found.role):
            return None
    return found


def client_of(request: Request) -> str | None:
    """The caller's address: the peer, or what a configured proxy forwarded."""
    return client_address(request.scope, request.app.state.proxies)


def require(*roles: str):
    """A dependency admitting callers with one of `roles` (or admin)."""
    allowed = set(roles) | {"admin"}

    def check(request: Request, key: str | None = Depends(_api_key),
              bearer: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Caller:
        presented = key or (bearer.credentials if bearer else None)
        if not presented:
            raise Unauthenticated("unauthenticated", "Cần khóa truy cập (X-API-Key).", "An API key is required.")
        client, throttle = client_of(request), request.app.state.throttle
        throttle.check(client=client)
        found = identify(request.app.state.api_keys, presented)
        if found is None:
            throttle.failed(client=client)
            log.warning("unknown API key presented")
            raise Unauthenticated("unauthenticated", "Khóa truy cập không hợp lệ.", "The API key is not valid.")
        name, role = found
        if role not in allowed:
            raise Forbidden("forbidden", "Vai trò của bạn không được dùng chức năng này.",
                            f"Role {role} may not use this endpoint.")
        return Caller(name=name, role=role, client=client)

    return check
