"""`digitize bench split DIR`: batches of many papers (from `python -m samples.generate --batches DIR`)
run end to end through `pipeline.process_upload` (OCR, split, fields, sign, store in a local
warehouse made for the run), the split scored against the truth:

- boundary precision and recall: a boundary is the first page of each paper after the first;
- batches split exactly right: the same papers with the same pages, blank pages left out;
- papers classified as their kind, blank pages found;
- pages per minute, end to end.
Batches with separator sheets and without are reported apart (targets: recall and precision 100%
with sheets, 98% without; 95% of batches exactly right without sheets).
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Scored:
    name: str
    separators: bool
    pages: int
    seconds: float
    true_boundaries: set[int]
    found_boundaries: set[int]
    exact: bool
    kinds_right: int
    papers: int
    blank_right: bool
    misses: list[str]


def score(truth: dict, found_papers: list[tuple[list[int], str]], found_blank: list[int]) -> tuple:
    """(true boundaries, found boundaries, exact, kinds right, misses) for one batch."""
    want = [p["pages"] for p in truth["papers"]]
    got = [pages for pages, _kind in found_papers]
    true_b = {pages[0] for pages in want[1:]}
    found_b = {pages[0] for pages in got[1:]}
    kinds = {tuple(p["pages"]): p["kind"] for p in truth["papers"]}
    kinds_right = sum(kinds.get(tuple(pages)) == kind for pages, kind in found_papers)
    misses = [f"boundary missed before page {b + 1}" for b in sorted(true_b - found_b)] + \
        [f"boundary found before page {b + 1}, none there" for b in sorted(found_b - true_b)]
    return true_b, found_b, want == got, kinds_right, misses


def run(corpus: Path, limit: int = 0) -> bool:
    from common.errors import AppError
    from common.runtime import limit_threads
    from digitize.pipeline import Submission, process_upload
    from digitize.services import Services

    limit_threads()
    batches = sorted(corpus.glob("batch*.pdf"))[: limit or None]
    if not batches:
        print(f"no batch*.pdf in {corpus}: make some with `python -m samples.generate --batches {corpus}`")
        return False
    results: list[Scored] = []
    with tempfile.TemporaryDirectory() as home:
        os.environ["DIGITIZE_HOME"] = home
        services = Services()
        for path in batches:
            truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            started = time.perf_counter()
            try:
                upload = process_upload(Submission(path.read_bytes(), path.name), services)
            except AppError as exc:  # counted as a batch split wrong, every boundary missed
                print(f"{path.name}: FAILED [{exc.code}] {exc.message_en}", flush=True)
                true_b = {p["pages"][0] for p in truth["papers"][1:]}
                results.append(Scored(path.name, truth["separators"], 0, time.perf_counter() - started, true_b,
                                      set(), False, 0, len(truth["papers"]), False, [exc.code]))
                continue
            seconds = time.perf_counter() - started
            found = [([i for i in paper.pages], outcome.manifest.kind)
                     for paper, outcome in zip(upload.plan.papers, upload.documents)]
            true_b, found_b, exact, kinds_right, misses = score(truth, found, upload.plan.blank)
            blank_right = sorted(upload.plan.blank) == sorted(truth["blank"])
            results.append(Scored(path.name, truth["separators"], upload.pages, seconds, true_b, found_b,
                                  exact and blank_right, kinds_right, len(truth["papers"]), blank_right, misses))
            print(f"{path.name}: {upload.pages} pages, {len(truth['papers'])} papers, "
                  f"{'exact' if exact and blank_right else 'WRONG'}, {seconds:.1f} s"
                  + "".join(f"\n    {m}" for m in misses) + ("" if blank_right else
                  f"\n    blank pages {sorted(i + 1 for i in upload.plan.blank)}, "
                  f"want {sorted(i + 1 for i in truth['blank'])}"), flush=True)
    _report(results)
    return True


def _report(results: list[Scored]) -> None:
    print()
    print(f"{'batches':28} {'n':>3} {'pages':>6} {'boundary P':>11} {'boundary R':>11} {'exact':>7} "
          f"{'kind':>6} {'pages/min':>10}")
    for label, group in (("with separator sheets", [r for r in results if r.separators]),
                         ("without separator sheets", [r for r in results if not r.separators]),
                         ("all", results)):
        if not group:
            continue
        true_b = sum(len(r.true_boundaries) for r in group)
        found_b = sum(len(r.found_boundaries) for r in group)
        hit = sum(len(r.true_boundaries & r.found_boundaries) for r in group)
        precision = hit / found_b if found_b else 1.0
        recall = hit / true_b if true_b else 1.0
        exact = sum(r.exact for r in group) / len(group)
        kinds = sum(r.kinds_right for r in group) / max(1, sum(r.papers for r in group))
        pages = sum(r.pages for r in group)
        per_min = pages / sum(r.seconds for r in group) * 60
        print(f"{label:28} {len(group):>3} {pages:>6} {precision:>10.1%} {recall:>10.1%} {exact:>6.0%} "
              f"{kinds:>5.0%} {per_min:>10.1f}")
