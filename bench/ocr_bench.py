"""`digitize bench ocr DIR`: accuracy and speed per level of every engine side by side, in one run.

Columns: our pipeline as it runs (Tesseract, with trueocr reading again the pages Tesseract was
unsure of), our pipeline with Tesseract only, plain `tesseract -l vie`, plain trueocr (its own
`TrueOCR.predict` on the file), and OCRmyPDF when installed. DIR holds pages in the corpus format
(NAME.png|jpg, NAME.txt body truth, NAME.json with level and degradation). Every engine runs on one
core (OMP_THREAD_LIMIT=1), page after page, so the seconds per page compare like with like on a
noisy machine.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ocr
from ocr.metrics import cer


def _pages(corpus: Path, limit: int) -> list[tuple[Path, dict, str]]:
    per_level: dict[int, int] = defaultdict(int)
    out = []
    for meta_path in sorted(corpus.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        image = corpus / meta.get("image", "")
        truth = meta_path.with_suffix(".txt")
        if not image.is_file() or not truth.is_file():
            continue
        level = int(meta.get("level", 0))
        if limit and per_level[level] >= limit:
            continue
        per_level[level] += 1
        out.append((image, meta, truth.read_text(encoding="utf-8")))
    return out


def _ours(image: Path, engine: ocr.OcrEngine) -> tuple[ocr.PageText, float]:
    t = time.perf_counter()
    data = image.read_bytes()
    t_load = time.perf_counter()
    page = ocr.load_pages(data)[0]
    load = time.perf_counter() - t_load
    result = ocr.ocr_page(page, engine, keep_image=False)
    result.text.seconds = {"load": load, **result.text.seconds}
    return result.text, time.perf_counter() - t


def _bare_tesseract(image: Path) -> tuple[str, float]:
    t = time.perf_counter()
    out = subprocess.run(["tesseract", str(image), "-", "-l", "vie"], capture_output=True,
                         text=True).stdout
    return out, time.perf_counter() - t


_plain_trueocr = None


def _bare_trueocr(image: Path) -> tuple[str, float]:
    """trueocr as its README runs it: its own deskew and orientation, one thread, model loaded once."""
    global _plain_trueocr
    import trueocr

    if _plain_trueocr is None:
        _plain_trueocr = trueocr.TrueOCR(trueocr.OCRConfig(threads=1))
    t = time.perf_counter()
    text = _plain_trueocr.predict(str(image)).text
    return text, time.perf_counter() - t


def _ocrmypdf_command() -> list[str] | None:
    """OCRmyPDF from this Python environment, else from PATH; None when it is not installed."""
    beside = Path(sys.executable).parent / "ocrmypdf"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ocrmypdf")
    return [found] if found else None


def _ocrmypdf(command: list[str], image: Path, dpi: int) -> tuple[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o.pdf"
        t = time.perf_counter()
        subprocess.run([*command, "-l", "vie", "--deskew", "--rotate-pages", "--jobs", "1", "--image-dpi",
                        str(dpi), "--output-type", "pdf", "-q", str(image), str(out)], capture_output=True)
        seconds = time.perf_counter() - t
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout if out.exists() else ""
    return text, seconds


def _ocr_one_page(image: Path) -> tuple[int, float]:
    """What a worker does for one page: load, prepare, recognize, encode the page image.
    (the worker's process id, the seconds it took)"""
    t = time.perf_counter()
    ocr.ocr_page(ocr.load_pages(image.read_bytes())[0], keep_image=True)
    return os.getpid(), time.perf_counter() - t


def _pool(processes: int, images: list[Path]) -> ProcessPoolExecutor:
    """`processes` workers with their models loaded: start-up and imports are not counted."""
    pool = ProcessPoolExecutor(max_workers=processes)
    list(pool.map(_ocr_one_page, images[:1] * processes))
    return pool


def _rates(pool: ProcessPoolExecutor, images: list[Path]) -> tuple[float, float]:
    """Pages per minute of the pool's workers over the same pages (each page a job): over the round's
    wall time, and while they were busy. The second is the rate of workers that always have a next
    job (a queue in service): it leaves out the end of the round, where one waits for the other's
    last page."""
    t = time.perf_counter()
    done = list(pool.map(_ocr_one_page, images))
    wall = time.perf_counter() - t
    busy: dict[int, list[float]] = defaultdict(list)
    for pid, seconds in done:
        busy[pid].append(seconds)
    return len(done) / wall * 60, sum(len(s) / sum(s) for s in busy.values()) * 60


THROUGHPUT_ROUNDS = 3
ROUND_PAGES = 24  # the pages are cycled up to this, so that a round's end weighs little


def _stolen_seconds() -> float:
    """CPU time the virtual machine's host gave to others so far (Linux /proc/stat), 0 elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def measure_scaling(images: list[Path], rounds: int = THROUGHPUT_ROUNDS, round_pages: int = ROUND_PAGES) -> dict:
    """Pages per minute of one worker process and of two, in alternating rounds over the same pages.

    The machine's speed drifts by a third from minute to minute (the host gives CPU time to other
    guests, "stolen" time): a round of one process next to a round of two compares like with like,
    and the median of the rounds' ratios is the figure, with the lowest and highest beside it."""
    jobs = list(itertools.islice(itertools.cycle(images), max(round_pages, len(images))))
    ones: list[tuple[float, float]] = []
    twos: list[tuple[float, float]] = []
    stolen = _stolen_seconds()
    with _pool(1, images) as one, _pool(2, images) as two:
        for _ in range(rounds):
            ones.append(_rates(one, jobs))
            twos.append(_rates(two, jobs))
    wall = [b[0] / a[0] for a, b in zip(ones, twos)]
    steady = [b[1] / a[1] for a, b in zip(ones, twos)]
    return {"pages": len(jobs), "rounds": rounds, "one_process_ppm": statistics.median(a for a, _ in ones),
            "two_processes_ppm": statistics.median(a for a, _ in twos), "ratio": statistics.median(wall),
            "ratio_low": min(wall), "ratio_high": max(wall), "steady_ratio": statistics.median(steady),
            "steady_ratio_low": min(steady), "steady_ratio_high": max(steady),
            "stolen_s": _stolen_seconds() - stolen}


def run_ocr_bench(corpus: Path, *, limit: int = 0, baseline: bool = True, as_json: bool = False,
                  throughput: bool = False) -> int:
    pages = _pages(corpus, limit)
    if not pages:
        print(f"no benchmark pages in {corpus}")
        return 1
    ocrmypdf = _ocrmypdf_command() if baseline else None
    have_ocrmypdf = ocrmypdf is not None
    rows: dict[int, list[dict]] = defaultdict(list)
    combined, tesseract_only = ocr.make_engine(), ocr.make_engine(second=False)
    # A worker loads its models once and keeps them (Tesseract's through tesserocr, trueocr's ONNX
    # sessions): pages are timed, not the start-up, which the first page would otherwise carry.
    for engine in (combined, tesseract_only):
        _ours(pages[0][0], engine)
    for image, meta, truth in pages:
        d = meta.get("degradation", {})
        result, seconds = _ours(image, combined)
        text = result.text
        want_turn = ((90 if d.get("rot90") else 0) + (180 if d.get("flip180") else 0)) % 360
        row = {"page": image.name, "cer": cer(truth, text), "cer_nodia": cer(truth, text, diacritics=False),
               "orientation_ok": result.orientation == want_turn,
               "deskew_err": abs(result.skew - float(d.get("angle", 0.0))), "seconds": seconds,
               "stages": result.seconds}
        if baseline:
            alone, alone_s = _ours(image, tesseract_only)
            row.update(tess_cer=cer(truth, alone.text), tess_seconds=alone_s)
            bare_text, bare_s = _bare_tesseract(image)
            row.update(bare_cer=cer(truth, bare_text), bare_seconds=bare_s)
            true_text, true_s = _bare_trueocr(image)
            row.update(trueocr_cer=cer(truth, true_text), trueocr_seconds=true_s)
        if have_ocrmypdf:
            o_text, o_s = _ocrmypdf(ocrmypdf, image, int(meta.get("dpi", 300)))
            row.update(ocrmypdf_cer=cer(truth, o_text), ocrmypdf_seconds=o_s)
        rows[int(meta.get("level", 0))].append(row)
    summary = {f"L{level}": _summarize(r) for level, r in sorted(rows.items())}
    everything = [r for rs in rows.values() for r in rs]
    summary["all"] = _summarize(everything)
    stages = {k: statistics.fmean(r["stages"].get(k, 0.0) for r in everything)
              for k in dict.fromkeys(k for r in everything for k in r["stages"])}
    scaling = None
    if throughput:
        scaling = measure_scaling([image for image, _, _ in pages])
    if as_json:
        print(json.dumps({"levels": summary, "stages": stages, "throughput": scaling, "pages": rows},
                         ensure_ascii=False, indent=1))
        return 0
    _print_table(summary, baseline, have_ocrmypdf)
    print("stages, mean s/page: " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    if scaling:
        print(f"throughput over {scaling['pages']} pages, median of {scaling['rounds']} alternating rounds: "
              f"1 process {scaling['one_process_ppm']:.1f} pages/min, 2 processes "
              f"{scaling['two_processes_ppm']:.1f} pages/min, ×{scaling['ratio']:.2f} (rounds "
              f"×{scaling['ratio_low']:.2f}–{scaling['ratio_high']:.2f}); workers always busy "
              f"×{scaling['steady_ratio']:.2f} (×{scaling['steady_ratio_low']:.2f}–{scaling['steady_ratio_high']:.2f}); "
              f"{scaling['stolen_s']:.0f} s of CPU taken by the host meanwhile")
    return 0


def _summarize(rows: list[dict]) -> dict:
    mean = lambda k: statistics.fmean(r[k] for r in rows)  # noqa: E731
    worst = max(rows, key=lambda r: r["cer"])
    s = {"pages": len(rows), "cer": mean("cer"), "worst_cer": worst["cer"], "worst_page": worst["page"],
         "cer_nodia": mean("cer_nodia"), "worst_cer_nodia": max(r["cer_nodia"] for r in rows),
         "orientation_acc": sum(r["orientation_ok"] for r in rows) / len(rows),
         "deskew_median_err": statistics.median(r["deskew_err"] for r in rows), "s_per_page": mean("seconds")}
    if "bare_cer" in rows[0]:
        s.update(bare_cer=mean("bare_cer"), bare_worst=max(r["bare_cer"] for r in rows),
                 bare_s_per_page=mean("bare_seconds"), tess_cer=mean("tess_cer"),
                 tess_worst=max(r["tess_cer"] for r in rows), tess_s_per_page=mean("tess_seconds"),
                 trueocr_cer=mean("trueocr_cer"), trueocr_worst=max(r["trueocr_cer"] for r in rows),
                 trueocr_s_per_page=mean("trueocr_seconds"))
        s["speed_vs_bare"] = s["s_per_page"] / s["bare_s_per_page"]
    if "ocrmypdf_cer" in rows[0]:
        s.update(ocrmypdf_cer=mean("ocrmypdf_cer"), ocrmypdf_s_per_page=mean("ocrmypdf_seconds"))
        s["throughput_vs_ocrmypdf"] = s["ocrmypdf_s_per_page"] / s["s_per_page"]
    return s


def _print_table(summary: dict, baseline: bool, have_ocrmypdf: bool) -> None:
    head = "level pages   CER  worst  CER-nodia worst-nodia orient deskew-med  s/page"
    if baseline:
        head += ("  ×bare | ours-tesseract-only CER (worst) s/page | plain-tesseract CER (worst) s/page"
                 " | plain-trueocr CER (worst) s/page")
    if have_ocrmypdf:
        head += "  ocrmypdf-CER ocrmypdf-s/page throughput×"
    print(head)
    for level, s in summary.items():
        line = (f"{level:5} {s['pages']:5} {s['cer']:6.2%} {s['worst_cer']:6.2%} {s['cer_nodia']:9.2%} "
                f"{s['worst_cer_nodia']:11.2%} {s['orientation_acc']:6.0%} {s['deskew_median_err']:9.2f}° "
                f"{s['s_per_page']:7.2f}")
        if baseline:
            line += (f"  {s['speed_vs_bare']:5.2f} | {s['tess_cer']:6.2%} ({s['tess_worst']:6.2%}) "
                     f"{s['tess_s_per_page']:5.2f} | {s['bare_cer']:6.2%} ({s['bare_worst']:6.2%}) "
                     f"{s['bare_s_per_page']:5.2f} | {s['trueocr_cer']:6.2%} ({s['trueocr_worst']:6.2%}) "
                     f"{s['trueocr_s_per_page']:5.2f}")
        if have_ocrmypdf:
            line += (f"  {s['ocrmypdf_cer']:12.2%} {s['ocrmypdf_s_per_page']:15.2f} "
                     f"{s['throughput_vs_ocrmypdf']:11.2f}")
        print(line)
    if not have_ocrmypdf and baseline:
        print("(OCRmyPDF is not installed: its columns are left out)")


def run_pdf_bench(corpus: Path, *, limit: int = 0) -> int:
    """Per page: OCR time, then what the archival PDF adds (page image encoding, PDF build, PAdES
    signature with a local key, no network), its share of the OCR time, and the PDF's size."""
    import tempfile as _tempfile

    from signing import Stamp, ensure_dev_pkcs12, load_pkcs12_signer, sign_pdf

    pages = _pages(corpus, limit)
    if not pages:
        print(f"no benchmark pages in {corpus}")
        return 1
    with _tempfile.TemporaryDirectory() as tmp:
        signer = load_pkcs12_signer(str(ensure_dev_pkcs12(Path(tmp) / "bench.p12", "Bench")), None)
    stamp = Stamp("BẢN SAO ĐIỆN TỬ TỪ BẢN GIẤY", "Cơ quan thử nghiệm", "Bench", "DEMO-1", "DEMO-1")
    rows: dict[int, list[dict]] = defaultdict(list)
    for image, meta, _ in pages:
        page = ocr.load_pages(image.read_bytes())[0]
        t = time.perf_counter()
        result = ocr.ocr_page(page, keep_image=True)
        ocr_s = time.perf_counter() - t
        encode_s = result.text.seconds.get("encode_image", 0.0)
        t = time.perf_counter()
        pdf = ocr.build_pdf([result.pdf_page()], ocr.PdfInfo(title=image.name, document_code="DEMO-1"))
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        signed = sign_pdf(pdf, signer, stamp)
        sign_s = time.perf_counter() - t
        rows[int(meta.get("level", 0))].append({
            "ocr": ocr_s - encode_s, "encode": encode_s, "build": build_s, "sign": sign_s,
            "kb": len(signed) / 1024, "grey": not result.image.colour, "dpi": result.image.dpi})
    print("level pages  OCR s/page  encode ms  build ms  sign ms  PDF+sign/OCR  KB/page (max)")
    everything = [r for rs in rows.values() for r in rs]
    for level, rs in [*((f"L{k}", v) for k, v in sorted(rows.items())), ("all", everything)]:
        m = lambda k: statistics.fmean(r[k] for r in rs)  # noqa: E731,B023
        share = (m("encode") + m("build") + m("sign")) / m("ocr")
        print(f"{level:5} {len(rs):5} {m('ocr'):11.2f} {m('encode') * 1000:10.0f} {m('build') * 1000:9.0f} "
              f"{m('sign') * 1000:8.0f} {share:12.1%}  {m('kb'):7.0f} ({max(r['kb'] for r in rs):.0f})")
    print(f"slowest signature: {max(r['sign'] for r in everything) * 1000:.0f} ms")
    return 0
