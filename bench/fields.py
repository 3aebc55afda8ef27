"""`digitize bench fields DIR`: extracted fields against ground truth, exact match per field, per
level and per document, and how often the classifier names the right kind.

DIR is either the shared OCR corpus (administrative pages; the JSON `fields` hold the header) or a
set written by `python -m samples.generate --fields DIR` (every kind; the JSON says `kind`).
Documents run two at a time, one per core.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ocr
from digitize.fields import extract_fields

ADMIN_FIELDS = ("agency", "number", "place", "date", "doc_type", "signer")


def group_of(meta: dict) -> str:
    kind = meta.get("kind", "admin")
    if kind == "cccd":
        return "cccd, QR covered" if meta.get("qr_covered") else "cccd, QR readable"
    return kind


def truth_of(meta: dict) -> dict:
    fields = meta.get("fields", {})
    if meta.get("kind", "admin") == "admin":
        return {k: fields.get(k) for k in ADMIN_FIELDS}
    return fields


def same(name: str, want, got) -> bool:
    norm = lambda v: " ".join(unicodedata.normalize("NFC", str(v or "")).split())  # noqa: E731
    if name == "agency":
        return norm(want).upper() == norm(got).upper()
    return norm(want) == norm(got)


def judge(path: str) -> dict:
    """One document: OCR, classify, extract; which fields match the truth."""
    image = Path(path)
    meta = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
    pages = [ocr.ocr_page(p, keep_image=False).text for p in ocr.load_pages(image.read_bytes())]
    found = extract_fields(pages)
    expected_kind = meta.get("kind", "admin")
    truth = truth_of(meta)
    got = {name: found.value(name) for name in truth}
    return {"name": image.name, "group": group_of(meta), "level": int(meta.get("level", 0)),
            "classified": found.classification.kind == expected_kind,
            "kind_got": found.classification.kind,
            "fields": {name: same(name, truth[name], got[name]) for name in truth},
            "misses": [f"{name}: want {truth[name]!r}, got {got[name]!r}" for name in truth
                       if not same(name, truth[name], got[name])]}


def images(corpus: Path, limit: int) -> list[Path]:
    per: dict[tuple[str, int], int] = defaultdict(int)
    out = []
    for meta_path in sorted(corpus.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        image = corpus / meta.get("image", "")
        if not image.is_file() or "fields" not in meta:
            continue
        key = (group_of(meta), int(meta.get("level", 0)))
        if limit and per[key] >= limit:
            continue
        per[key] += 1
        out.append(image)
    return out


def run(corpus: Path, *, limit: int = 0, jobs: int = 2, show_misses: bool = True) -> dict:
    paths = images(corpus, limit)
    if not paths:
        print(f"no benchmark documents in {corpus}")
        return {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(judge, [str(p) for p in paths]))
    summary = report(results)
    if show_misses:
        for r in results:
            if not r["classified"]:
                print(f"  misclassified: {r['name']} as {r['kind_got']}")
            for miss in r["misses"]:
                print(f"  miss: {r['name']} {miss}")
    return summary


def report(results: list[dict]) -> dict:
    """Prints a table per group (fields × levels) and returns the shares for tests and notes."""
    summary: dict = {"classified": sum(r["classified"] for r in results) / len(results), "groups": {}}
    levels = sorted({r["level"] for r in results})
    header = "".join(f"{f'L{lv}':>8}" for lv in levels) + f"{'all':>8}"
    for group in sorted({r["group"] for r in results}):
        rs = [r for r in results if r["group"] == group]
        names = list(dict.fromkeys(n for r in rs for n in r["fields"]))
        print(f"\n{group} ({len(rs)} documents)\n{'field':24}{header}")
        shares: dict[str, float] = {}
        for name in names + ["(document)", "(classified)"]:
            cells = []
            for lv in [*levels, None]:
                picked = [r for r in rs if lv is None or r["level"] == lv]
                if name == "(document)":
                    hits = [all(r["fields"].values()) for r in picked]
                elif name == "(classified)":
                    hits = [r["classified"] for r in picked]
                else:
                    hits = [r["fields"][name] for r in picked if name in r["fields"]]
                cells.append(f"{sum(hits) / len(hits):8.1%}" if hits else f"{'-':>8}")
                if lv is None and hits:
                    shares[name] = sum(hits) / len(hits)
            print(f"{name:24}" + "".join(cells))
        summary["groups"][group] = shares
    print(f"\nclassification: {summary['classified']:.1%} of {len(results)} documents")
    return summary
