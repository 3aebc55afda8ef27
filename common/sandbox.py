"""Untrusted files are parsed in a child process, under a time limit and a memory limit.

A hostile PDF (a reference loop, a page of 2.4 metres, a thousand nested forms) can keep a parser
busy forever or make it ask for gigabytes. Run in a child, the worst it can do is be killed: the
caller gets a one-line error, its own threads stay free, and the memory goes back to the system
when the child exits. A single-threaded caller (a worker, the CLI) forks directly; one with threads
(the HTTP service) forks from a clean forkserver instead, never from a thread.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import threading
from typing import Any, Callable, TypeVar

from .errors import AppError

T = TypeVar("T")
PRELOAD = ["ocr", "signing"]  # what the forkserver imports once, so a child starts in milliseconds


class TooCostly(AppError):
    """The file needs more time or memory than any real paper does."""

    status = 422


def run_limited(fn: Callable[..., T], *args: Any, seconds: float, memory_mb: int) -> T:
    """`fn(*args)` in a child process; its exceptions come back as they are. Raises TooCostly when the
    child runs out of time or memory, or dies."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_run, args=(send, fn, args, memory_mb), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise TooCostly("file_too_complex", f"Tệp cần quá nhiều thời gian để đọc (hơn {seconds:.0f} giây).",
                            f"Reading the file took longer than {seconds:.0f} s.")
        ok, value = receive.recv()
    except EOFError:  # no answer: killed by a signal, or a parser crashed
        raise TooCostly("file_too_complex", "Không đọc được tệp: trình đọc đã dừng bất thường.",
                        "The file could not be read: the parser stopped abnormally.") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if not ok:
        if value == "memory":
            raise TooCostly("file_too_large_to_read", f"Tệp cần quá nhiều bộ nhớ để đọc (hơn {memory_mb} MB).",
                            f"Reading the file needs more than {memory_mb} MB.")
        raise value
    return value


def _context() -> multiprocessing.context.BaseContext:
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _run(send, fn: Callable, args: tuple, memory_mb: int) -> None:
    # The limit is on top of what the process already maps (the interpreter and its libraries).
    mapped = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        send.send((True, fn(*args)))
    except MemoryError:
        send.send((False, "memory"))
    except Exception as exc:  # handed back to the caller, who decides
        try:
            send.send((False, exc))
        except Exception:  # an exception that cannot be pickled: its name is enough
            send.send((False, AppError("parser_error", "Không đọc được tệp.", f"Unreadable file ({type(exc).__name__}).")))
    finally:
        send.close()
