"""Hostile files through `digitize process` and `digitize verify`: each refused or handled within
10 s and 500 MB (the command and every process it starts), with one line on stderr, and nothing
half-written: the original is kept (nothing received is lost), no document, no code."""
import os
import subprocess
import sys
import time

import pytest

from . import hostile_files as hostile
from .conftest import CLEAN_PAGE


def _active_content() -> bytes:
    from .test_active_content import _born_digital, _with_active_content

    return _with_active_content(_born_digital())


def _signed_input() -> bytes:
    import tempfile
    from pathlib import Path

    from signing import Stamp, ensure_dev_pkcs12, load_pkcs12_signer, sign_pdf

    from .test_active_content import _born_digital

    with tempfile.TemporaryDirectory() as folder:
        signer = load_pkcs12_signer(str(ensure_dev_pkcs12(Path(folder) / "other.p12", "UBND phường Khác")), None)
    return sign_pdf(_born_digital(), signer, Stamp("BẢN CHÍNH", "UBND phường Khác", "Người ký", "X-1", "X-1"))


CLEAN = lambda: CLEAN_PAGE.read_bytes()  # noqa: E731
CASES = [  # name, file, command, expected exit status, expected error code (None: handled), extra arguments
    ("reference loop in /MediaBox", "loop.pdf", hostile.mediabox_loop, "process", 0, None),
    ("blank page of 2399 × 2399 pt", "huge.pdf", hostile.huge_blank_page, "process", 0, None),
    ("500 blank A4 pages", "many.pdf", hostile.many_blank_pages, "process", 1, "document_too_large"),
    ("12 frames of 10000 × 9999", "frames.tif", hostile.huge_frames, "process", 1, "image_too_large"),
    ("/Rotate /Ninety", "rotate.pdf", hostile.odd_rotate, "process", 0, None),
    ("truncated PNG", "cut.png", lambda: hostile.truncated_png(CLEAN_PAGE.read_bytes()), "process", 1,
     "corrupt_image"),
    ("encrypted PDF to verify", "locked.pdf", hostile.encrypted, "verify", 1, None),
    ("JavaScript, Launch, URI, attachment", "active.pdf", _active_content, "process", 0, None),
    ("PDF already signed by someone", "signed.pdf", _signed_input, "process", 0, None),
    ("dossier code of 100 characters", "page.png", CLEAN, "process", 1, "invalid_dossier_code",
     ["--dossier", "H40.27-261124-" + "1" * 86]),
    ("owner id in fullwidth digits", "page.png", CLEAN, "process", 1, "invalid_owner_id",
     ["--owner", "０７９２０１０００００１"]),
    ("control character in the owner id", "page.png", CLEAN, "process", 1, "invalid_owner_id", ["--owner", "0792010\x01001"]),
]
CASES = [case if len(case) == 7 else (*case, []) for case in CASES]
LIMIT_S, LIMIT_MB = 10, 500
FIGURES: list[str] = []


# Started from a bare interpreter, so that the peak it reports is the command's, not that of a copy of
# the test process (Linux counts a child's memory from before its exec).
PEAK = """import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run(args: list[str], env: dict) -> tuple[int, str, float, float]:
    """Exit status, stderr, seconds, and the peak resident memory (MB) of the command and its children."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    *lines, peak_kb = done.stderr.strip().splitlines()
    return done.returncode, "\n".join(lines), seconds, int(peak_kb) / 1024


@pytest.mark.parametrize("label, name, make, command, status, code, extra", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_refused_or_handled_within_limits(label, name, make, command, status, code, extra,
                                                            tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(make())
    home = tmp_path / "home"
    args = [sys.executable, "-m", "digitize", command, str(path)] + (["--out", str(tmp_path / "out")]
                                                                    if command == "process" else []) + extra
    exit_status, stderr, seconds, peak_mb = _run(args, {**os.environ, "DIGITIZE_HOME": str(home)})
    with capsys.disabled():
        print(f"\nhostile: {label:30} {path.stat().st_size:>8} B  exit {exit_status}  {seconds:5.1f} s  "
              f"{peak_mb:4.0f} MB  {stderr.strip().split(' | ')[0][:70]}")
    assert exit_status == status, stderr
    assert seconds <= LIMIT_S and peak_mb <= LIMIT_MB
    assert "Traceback" not in stderr
    if exit_status:
        assert len(stderr.strip().splitlines()) == 1 and (code is None or f"[{code}]" in stderr), stderr
    if command == "process" and exit_status:
        documents = home / "warehouse" / "documents"
        assert not documents.exists() or not any(documents.iterdir())  # no document, no code spent
