"""A hot folder for scanners that write files into a directory.

    python -m workers hotfolder DIR [--every 1]

A file is taken once its size and modification time have not changed between two looks (a
scanner still writing it is left alone), and names scanners use while writing (`.part`, `.tmp`,
`~…`, hidden files) are never taken. Taking is a rename into DIR/.processing/, which only one
watcher can win, so each file is taken exactly once even with several watchers. After intake it
moves to DIR/done/ (its receipt id in the name), or to DIR/rejected/ with a `.loi.txt` saying why
in Vietnamese. A file in a subfolder named like a dossier code goes into that dossier.
"""
from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from common.errors import AppError

from .backoff import Backoff

log = logging.getLogger(__name__)
SKIP = re.compile(r"(^\.|^~|\.(part|tmp|crdownload|partial)$)", re.IGNORECASE)
RESERVED = {".processing", "done", "rejected"}


@dataclass
class Taken:
    path: Path  # where the file ended up (done/ or rejected/)
    receipt_id: str | None
    error: str | None = None


@dataclass
class HotFolder:
    root: Path
    submit: Callable[[bytes, str, str | None], str]  # (data, filename, dossier code) → receipt id
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)
    put_back: list[Exception] = field(default_factory=list)  # outages met since the last look

    def __post_init__(self) -> None:
        for name in RESERVED:
            (self.root / name).mkdir(parents=True, exist_ok=True)

    def poll(self) -> list[Taken]:
        """One look at the folder: take every file that has stopped changing since the last look."""
        taken, now_seen = [], {}
        for path in self._candidates():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue  # another watcher took it
            signature = (st.st_size, st.st_mtime_ns)
            now_seen[path] = signature
            if st.st_size and self._seen.get(path) == signature:
                result = self._take(path)
                if result is not None:
                    taken.append(result)
        self._seen = now_seen
        return taken

    def _candidates(self):
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            if relative.parts[0] in RESERVED or SKIP.search(path.name):
                continue
            if path.is_symlink() or any(p.is_symlink() for p in path.parents if self.root in p.parents):
                continue  # a link could lead out of the folder: only real files are taken
            if path.is_file():
                yield path

    def recover(self) -> list[Path]:
        """Files left in .processing/ by a watcher of this machine that died while taking them: put
        back, to be taken again (their intake had not finished, or its receipt is kept anyway)."""
        back = []
        for working in sorted((self.root / ".processing").iterdir()):
            _stamp, _, rest = working.name.partition("-")
            pid, _, name = rest.partition("-")
            if not pid.isdigit() or not name or _alive(int(pid)):
                continue
            target = _free(self.root / name)
            working.rename(target)
            log.warning("hot folder: a file left by a stopped watcher was put back to be taken again")
            back.append(target)
        return back

    def _take(self, path: Path) -> Taken | None:
        relative = path.relative_to(self.root)
        dossier = relative.parts[0] if len(relative.parts) > 1 else None
        working = self.root / ".processing" / f"{time.time_ns()}-{os.getpid()}-{path.name}"
        try:
            path.rename(working)  # atomic: of several watchers exactly one wins
        except FileNotFoundError:
            return None
        try:
            receipt = self.submit(working.read_bytes(), path.name, dossier)
        except Exception as exc:  # bad input: set aside with the reason, the scan itself is kept
            if not isinstance(exc, AppError) or exc.status >= 500:
                working.rename(path)  # not the file's fault (storage or Redis away): put back, retried later
                log.warning("hot folder: a file put back: %s", type(exc).__name__)
                self.put_back.append(exc)
                return None
            reason = exc.message_vi
            target = _free(self.root / "rejected" / path.name)
            working.rename(target)
            target.with_name(target.name + ".loi.txt").write_text(reason + "\n", encoding="utf-8")
            log.info("hot folder: a file rejected (%s))", exc.code)
            return Taken(target, None, reason)
        target = _free(self.root / "done" / f"{receipt}-{path.name}")
        working.rename(target)
        log.info("hot folder: a file taken, receipt %s", receipt)
        return Taken(target, receipt)

    def run(self, every: float = 1.0) -> None:
        """Look every `every` seconds; while files are being put back (Redis or the warehouse away),
        or the folder itself cannot be read, look less often, up to every 30 s."""
        backoff = Backoff(first=every)
        self.recover()
        while True:
            try:
                self.poll()
            except OSError as exc:  # the folder (a network share) went away for a moment
                backoff.wait("hot folder unreadable", exc)
                continue
            if self.put_back:
                backoff.wait("hot folder: intake unavailable", self.put_back[-1])
                self.put_back.clear()
            else:
                backoff.reset()
                time.sleep(every)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free(path: Path) -> Path:
    n, candidate = 1, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
