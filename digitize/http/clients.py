"""The client's address for the audit and the throttle: the peer, or, when the peer is one of the
configured reverse proxies, the address it forwarded (X-Forwarded-For, read from the right, skipping
our own proxies). Anything that is not an IP address is ignored, so a forged header cannot inject."""
from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(spec: str) -> list[Network]:
    return [ipaddress.ip_network(item.strip(), strict=False) for item in spec.split(",") if item.strip()]


def client_address(scope: dict, proxies: list[Network]) -> str | None:
    peer = (scope.get("client") or (None,))[0]
    if not peer or not _within(peer, proxies):
        return peer
    forwarded = [value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"x-forwarded-for"]
    hops = [hop.strip() for line in forwarded for hop in line.split(",")]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            return peer  # a malformed hop: trust nothing the chain says beyond our proxy
        if not _within(address, proxies):
            return address
    return peer


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _within(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)
