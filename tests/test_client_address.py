"""The audit's and the throttle's client address: X-Forwarded-For counts only from configured proxies."""
from digitize.http.clients import client_address, parse_proxies

PROXIES = parse_proxies("10.0.0.0/8, 192.168.1.5")


def _scope(peer: str, *forwarded: str) -> dict:
    return {"client": (peer, 50000), "headers": [(b"x-forwarded-for", value.encode()) for value in forwarded]}


def test_a_stranger_cannot_claim_another_address():
    assert client_address(_scope("203.0.113.9", "1.2.3.4"), PROXIES) == "203.0.113.9"
    assert client_address(_scope("203.0.113.9", "1.2.3.4"), []) == "203.0.113.9"


def test_behind_our_proxies_the_forwarded_client_counts_read_from_the_right():
    assert client_address(_scope("10.1.2.3", "198.51.100.7"), PROXIES) == "198.51.100.7"
    # the client itself sent a forged first hop; our proxy appended the real one
    assert client_address(_scope("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.168.1.5"), PROXIES) == "198.51.100.7"
    assert client_address(_scope("10.1.2.3", "2001:db8::1"), PROXIES) == "2001:db8::1"


def test_garbage_or_oversized_forwarded_values_fall_back_to_the_proxy():
    assert client_address(_scope("10.1.2.3", "x" * 500), PROXIES) == "10.1.2.3"
    assert client_address(_scope("10.1.2.3", "<script>, 198.51.100.7"), PROXIES) == "198.51.100.7"
    assert client_address(_scope("10.1.2.3", "198.51.100.7, 1.2.3.4\x00"), PROXIES) == "10.1.2.3"
    assert client_address(_scope("10.1.2.3"), PROXIES) == "10.1.2.3"
