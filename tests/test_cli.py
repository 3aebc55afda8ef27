"""`digitize` end to end on the embedded defaults: real Tesseract, pyHanko, local warehouse."""
import json
import os
import sys

import pytest

from ocr.metrics import cer

from .conftest import CLEAN_PAGE, SAMPLES, run

DIGITIZE = [sys.executable, "-m", "digitize"]


def _env(home) -> dict:
    return {**os.environ, "DIGITIZE_HOME": str(home)}


def test_process_clean_page_gives_signed_searchable_pdf(home, tmp_path):
    out = tmp_path / "out"
    res = run(*DIGITIZE, "process", str(CLEAN_PAGE), "--out", str(out), "--owner", "001090012345",
              "--json", env=_env(home))
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    pdf = out / f"{doc['code']}.pdf"
    assert doc["pages"] == 1 and len(doc["sha256"]) == 64 and set(doc["seconds"]) >= {"ocr", "sign", "store"}
    assert "Signature is Valid" in run("pdfsig", str(pdf)).stdout
    assert run("qpdf", "--check", str(pdf)).returncode == 0
    text = run("pdftotext", str(pdf), "-").stdout
    truth = CLEAN_PAGE.with_suffix(".txt").read_text(encoding="utf-8")
    assert cer(truth, text) <= 0.01
    assert doc["fields"]["number"]["value"] == "2059/KH-UBND"
    assert doc["fields"]["date"]["value"] == "2020-11-17"

    stored = home / "warehouse" / "documents" / doc["code"]
    assert sorted(p.name for p in stored.iterdir()) == ["fields.json", "manifest.json", "ocr.json", "signed.pdf"]
    manifest = json.loads((stored / "manifest.json").read_text())
    assert manifest["objects"]["signed_pdf"]["sha256"] == doc["sha256"]

    verify = run(*DIGITIZE, "verify", str(pdf), "--json", env=_env(home))
    assert verify.returncode == 3  # intact, but the development certificate is not trusted
    report = json.loads(verify.stdout)
    assert report["valid"] and report["document_code"] == doc["code"]

    again = run(*DIGITIZE, "process", str(CLEAN_PAGE), "--out", str(out), "--owner", "001090012345",
                "--json", env=_env(home))
    assert json.loads(again.stdout)["code"] == doc["code"] and json.loads(again.stdout)["already_on_file"]


def test_ocr_json_contract(home):
    res = run(*DIGITIZE, "ocr", str(SAMPLES / "sample-03-ke-hoach.tif"), "--json", env=_env(home))
    assert res.returncode == 0, res.stderr
    pages = json.loads(res.stdout)["pages"]
    assert len(pages) == 2
    first = pages[0]
    damage = json.loads((SAMPLES / "sample-03-ke-hoach.json").read_text(encoding="utf-8"))["degradation"]
    assert first["orientation"] == (180 if damage["flip180"] else 0)
    assert abs(first["skew"] - damage["angle"]) <= 0.2
    assert first["mean_conf"] > 80 and first["words"][0]["box"] and "recognize" in first["seconds"]
    truths = (SAMPLES / "sample-03-ke-hoach.txt").read_text(encoding="utf-8").split("\f")  # page by page
    assert [cer(truth, page["text"]) <= 0.01 for truth, page in zip(truths, pages)] == [True, True]


@pytest.mark.parametrize("name, content, code", [
    ("empty.png", b"", "empty_file"),
    ("notes.pdf", b"just some text, not a PDF", "unsupported_type"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj <<\n", "corrupt_pdf"),
])
def test_bad_input_one_line_and_nothing_stored(home, tmp_path, name, content, code):
    bad = tmp_path / name
    bad.write_bytes(content)
    res = run(*DIGITIZE, "process", str(bad), "--out", str(tmp_path / "out"), env=_env(home))
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and f"[{code}]" in lines[0] and "error:" in lines[0] and "Traceback" not in res.stderr
    assert not list((home / "warehouse").rglob("*.json")) if (home / "warehouse").exists() else True
    assert not (home / "warehouse" / "originals").exists() or not any((home / "warehouse" / "originals").iterdir())


def test_encrypted_pdf_refused(home, tmp_path):
    import pikepdf

    path = tmp_path / "secret.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="u"))
    res = run(*DIGITIZE, "process", str(path), "--out", str(tmp_path / "out"), env=_env(home))
    assert res.returncode == 1 and "[encrypted_pdf]" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (home / "warehouse" / "originals").exists()


def test_bad_owner_and_missing_file(home, tmp_path):
    res = run(*DIGITIZE, "process", str(SAMPLES / "sample-01-quyet-dinh.png"), "--out", str(tmp_path), "--owner",
              "12x", env=_env(home))
    assert res.returncode == 1 and "[invalid_owner_id]" in res.stderr
    res = run(*DIGITIZE, "verify", str(tmp_path / "nope.pdf"), env=_env(home))
    assert res.returncode == 1 and "[unreadable_file]" in res.stderr and "Traceback" not in res.stderr


def test_catalog_entry_without_objects_is_not_on_file(home, tmp_path):
    """The warehouse is the record: a stale catalog row must not stand in for a missing document."""
    from digitize.pipeline import Submission, process
    from digitize.services import Services
    from digitize.settings import Settings

    services = Services(Settings(home=home))
    data = (SAMPLES / "sample-01-quyet-dinh.png").read_bytes()
    first = process(Submission(data, "a.png", "001090012345"), services)
    import shutil

    shutil.rmtree(home / "warehouse" / "documents" / first.code)  # lost objects, catalog still lists them
    second = process(Submission(data, "a.png", "001090012345"), services)
    assert not second.already_on_file and second.code != first.code
    assert process(Submission(data, "a.png", "001090012345"), services).code == second.code
