"""The hot folder: half-written files wait, every finished file is taken exactly once and moved
aside, bad files are set aside with the reason, files in a dossier's folder go to that dossier."""
import os
import subprocess
import threading

from digitize.errors import UserError
from workers.hotfolder import HotFolder

from .conftest import SAMPLES


def _recorder():
    taken, lock = [], threading.Lock()

    def submit(data: bytes, name: str, dossier: str | None) -> str:
        if data.startswith(b"bad"):
            raise UserError("unsupported_type", "Định dạng tệp không được hỗ trợ.", "Unsupported file type.")
        with lock:
            taken.append((name, dossier, len(data)))
            return f"r{len(taken)}"

    return taken, submit


def test_half_written_file_waits_until_it_stops_growing(tmp_path):
    taken, submit = _recorder()
    folder = HotFolder(tmp_path, submit)
    scan = tmp_path / "scan.png"
    data = (SAMPLES / "sample-01-quyet-dinh.png").read_bytes()
    with open(scan, "wb") as f:
        f.write(data[:1000])
        f.flush()
        assert folder.poll() == []  # first look
        f.write(data[1000:5000])
        f.flush()
        assert folder.poll() == []  # still growing
        f.write(data[5000:])
    assert folder.poll() == []  # changed since the last look
    done = folder.poll()
    assert [t.receipt_id for t in done] == ["r1"] and taken == [("scan.png", None, len(data))]
    assert not scan.exists() and done[0].path.parent.name == "done"
    assert folder.poll() == [] and folder.poll() == []  # never taken twice


def test_scanner_temp_names_are_ignored_and_bad_files_set_aside(tmp_path):
    taken, submit = _recorder()
    folder = HotFolder(tmp_path, submit)
    (tmp_path / "scan.pdf.part").write_bytes(b"%PDF-partial")
    (tmp_path / ".hidden.png").write_bytes(b"x")
    (tmp_path / "broken.pdf").write_bytes(b"bad content")
    folder.poll()
    rejected = folder.poll()
    assert [t.error for t in rejected] == ["Định dạng tệp không được hỗ trợ."] and taken == []
    assert (tmp_path / "rejected" / "broken.pdf").exists()
    assert "không được hỗ trợ" in (tmp_path / "rejected" / "broken.pdf.loi.txt").read_text(encoding="utf-8")
    assert (tmp_path / "scan.pdf.part").exists() and (tmp_path / ".hidden.png").exists()


def test_two_watchers_take_each_file_exactly_once(tmp_path):
    taken, submit = _recorder()
    sub = tmp_path / "H40.27-261124-0001"
    sub.mkdir()
    for i in range(30):
        (sub / f"p{i:02d}.png").write_bytes(b"page %d" % i)
    watchers = [HotFolder(tmp_path, submit), HotFolder(tmp_path, submit)]
    for w in watchers:
        w.poll()
    threads = [threading.Thread(target=w.poll) for w in watchers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = sorted(name for name, _, _ in taken)
    assert names == [f"p{i:02d}.png" for i in range(30)]  # all, none twice
    assert {dossier for _, dossier, _ in taken} == {"H40.27-261124-0001"}
    assert len(list((tmp_path / "done").iterdir())) == 30 and not list(sub.iterdir())


def test_storage_outage_puts_the_file_back(tmp_path):
    from storage.errors import StorageError

    def unavailable(data, name, dossier):
        raise StorageError("storage_unavailable", "Kho tạm thời không truy cập được.", "down")

    folder = HotFolder(tmp_path, unavailable)
    (tmp_path / "scan.png").write_bytes(b"data")
    folder.poll()
    assert folder.poll() == [] and (tmp_path / "scan.png").exists()  # kept for the next try


def test_links_are_not_followed_and_files_of_a_dead_watcher_come_back(tmp_path):
    taken, submit = _recorder()
    secret = tmp_path / "outside.png"
    secret.write_bytes((SAMPLES / "sample-01-quyet-dinh.png").read_bytes())
    inbox = tmp_path / "inbox"
    folder = HotFolder(inbox, submit)
    (inbox / "link.png").symlink_to(secret)
    (inbox / "H40.27-261124-0001").symlink_to(tmp_path, target_is_directory=True)
    folder.poll(), folder.poll()
    assert taken == [] and secret.exists()  # nothing taken through a link

    dead = _exited_pid()
    (inbox / ".processing" / f"123-{dead}-left.png").write_bytes(b"scan")
    (inbox / ".processing" / f"123-{os.getpid()}-busy.png").write_bytes(b"scan")  # a live watcher's
    assert folder.recover() == [inbox / "left.png"] and (inbox / ".processing" / f"123-{os.getpid()}-busy.png").exists()



def _exited_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
