"""Parsing under limits: a reader that never ends is stopped at its deadline, one that eats memory
at its cap, and the caller gets a one-line error with its code instead of a hang."""
import time

import pytest

from common.sandbox import TooCostly, run_limited


def _spin() -> None:
    while True:
        pass


def _hog() -> int:
    chunks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
    return len(chunks)


def _double(x: int) -> int:
    return 2 * x


def test_a_reader_that_never_ends_is_stopped_at_its_deadline():
    started = time.perf_counter()
    with pytest.raises(TooCostly) as caught:
        run_limited(_spin, seconds=1.5, memory_mb=400)
    assert caught.value.code == "file_too_complex"
    assert time.perf_counter() - started < 5


def test_a_reader_that_eats_memory_is_stopped_at_its_cap():
    with pytest.raises(TooCostly) as caught:
        run_limited(_hog, seconds=30, memory_mb=400)
    assert caught.value.code == "file_too_large_to_read"


def test_a_reader_within_its_limits_returns_its_result():
    assert run_limited(_double, 21, seconds=5, memory_mb=400) == 42
