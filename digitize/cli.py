"""`digitize` command line: ocr, process, verify, bench.

Exit status: 0 success; 1 bad input or a failed document (one line on stderr);
for `verify`, 1 means a signature is broken or the file was changed after
signing, 3 means the signatures are intact but not trusted (no trusted root).
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path

from common.runtime import limit_threads

from . import accounts_cli

log = logging.getLogger("digitize")
EXIT_OK, EXIT_FAIL, EXIT_UNTRUSTED = 0, 1, 3


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.debug)
    limit_threads()
    try:
        return args.run(args)
    except BrokenPipeError:
        return EXIT_OK  # the reader (e.g. `head`) stopped early
    except KeyboardInterrupt:
        _error_line("interrupted", "Đã dừng theo yêu cầu.", "Interrupted.")
        return 130
    except Exception as exc:  # the last guard: users see one line, --debug shows the traceback
        from common.errors import AppError

        if isinstance(exc, AppError):
            _error_line(exc.code, exc.message_vi, exc.message_en)
            return exc.exit_code
        else:
            log.debug("unexpected error", exc_info=True)
            _error_line("internal_error", "Lỗi nội bộ, vui lòng báo cho quản trị hệ thống.",
                        f"Internal error: {type(exc).__name__}: {exc}")
        return EXIT_FAIL


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="digitize", description="Số hóa hồ sơ: OCR tiếng Việt, PDF/A có chữ ký số.")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    o = sub.add_parser("ocr", help="recognize pages and print their text (or JSON)")
    o.add_argument("files", nargs="+", type=Path)
    o.add_argument("--json", action="store_true")
    o.set_defaults(run=cmd_ocr)

    pr = sub.add_parser("process", help="OCR, sign, store; write the signed PDF into --out")
    pr.add_argument("files", nargs="+", type=Path)
    pr.add_argument("--out", type=Path, required=True)
    pr.add_argument("--owner", help="owner's 12-digit personal id or tax code")
    pr.add_argument("--kind", help="admin, cccd, birth or other (default: detected)")
    pr.add_argument("--dossier", help="dossier code, e.g. H40.27-261124-0001")
    pr.add_argument("--one-paper", action="store_true",
                    help="the file is one paper: do not split it (by default each paper becomes its own document)")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(run=cmd_process)

    v = sub.add_parser("verify", help="check the signatures of a PDF")
    v.add_argument("file", type=Path)
    v.add_argument("--trust", action="append", default=[], help="trusted root certificate (PEM/DER)")
    v.add_argument("--at", type=_moment, help="check as of this time (ISO 8601), e.g. years ahead")
    v.add_argument("--online", action="store_true", help="fetch OCSP responses and CRLs (default: offline)")
    v.add_argument("--json", action="store_true")
    v.set_defaults(run=cmd_verify)

    f = sub.add_parser("find", help="query the catalog: by owner, dossier, code, agency/kind/dates, or full text")
    f.add_argument("--owner", help="documents of a citizen (CCCD) or organisation (tax code)")
    f.add_argument("--kind", help="admin, cccd, birth or other")
    f.add_argument("--valid-on", type=_day, help="only documents issued by and not expired on this date")
    f.add_argument("--dossier", help="documents of a dossier")
    f.add_argument("--code", help="one document by its code")
    f.add_argument("--agency", help="documents digitized by an agency")
    f.add_argument("--since", type=_day, help="digitized on or after this date")
    f.add_argument("--until", type=_day, help="digitized before this date")
    f.add_argument("--text", help='full text, diacritics optional: "quyet dinh" finds "quyết định"')
    f.add_argument("--limit", type=int, default=50)
    f.set_defaults(run=cmd_find)

    accounts_cli.add_parser(sub)

    r = sub.add_parser("reindex", help="rebuild the catalog from the manifests in the warehouse")
    r.add_argument("--allow-empty", action="store_true",
                   help="empty the catalog even when the warehouse lists no documents")
    r.set_defaults(run=cmd_reindex)

    b = sub.add_parser("bench", help="benchmarks")
    bsub = b.add_subparsers(required=True, metavar="WHAT")
    bo = bsub.add_parser("ocr", help="OCR accuracy and speed on a corpus directory, beside bare Tesseract")
    bo.add_argument("corpus", type=Path)
    bo.add_argument("--limit", type=int, default=0, help="pages per level at most (0: all)")
    bo.add_argument("--no-baseline", action="store_true", help="skip bare Tesseract and OCRmyPDF")
    bo.add_argument("--throughput", action="store_true",
                    help="also measure pages per minute with one and two worker processes, in alternating rounds")
    bo.add_argument("--json", action="store_true")
    bo.set_defaults(run=cmd_bench_ocr)
    bp = bsub.add_parser("pdf", help="archival PDF and signature cost against OCR time, and PDF size")
    bp.add_argument("corpus", type=Path)
    bp.add_argument("--limit", type=int, default=0, help="pages per level at most (0: all)")
    bp.set_defaults(run=cmd_bench_pdf)
    bf = bsub.add_parser("fields", help="extracted fields and classification against ground truth")
    bf.add_argument("corpus", type=Path, help="the OCR corpus, or a set from `python -m samples.generate --fields`")
    bf.add_argument("--limit", type=int, default=0, help="documents per kind and level at most (0: all)")
    bf.set_defaults(run=cmd_bench_fields)
    bs = bsub.add_parser("split", help="split batches of many papers into documents, scored against the truth")
    bs.add_argument("corpus", type=Path, help="a set from `python -m samples.generate --batches`")
    bs.add_argument("--limit", type=int, default=0, help="batches at most (0: all)")
    bs.set_defaults(run=cmd_bench_split)
    bc = bsub.add_parser("catalog", help="fill an empty catalog with synthetic documents and time the queries")
    bc.add_argument("--rows", type=int, default=100_000)
    bc.add_argument("--url", help="an EMPTY catalog (SQLAlchemy URL); default: a temporary SQLite file")
    bc.add_argument("--queries", type=int, default=300)
    bc.set_defaults(run=cmd_bench_catalog)
    bw = bsub.add_parser("web", help="time the web pages (server and headless Chromium) with N documents catalogued")
    bw.add_argument("--documents", type=int, default=1000)
    bw.add_argument("--repeats", type=int, default=10)
    bw.add_argument("--url", help="an EMPTY catalog (SQLAlchemy URL); default: a temporary SQLite file")
    bw.set_defaults(run=cmd_bench_web)
    return p


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ (YYYY-MM-DD): {text}") from None


def _moment(text: str):
    from datetime import datetime

    from common.clock import VIETNAM

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"thời điểm không hợp lệ (ISO 8601, vd. 2035-01-01): {text}") from None
    return when if when.tzinfo else when.replace(tzinfo=VIETNAM)


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if not debug:
        # pyHanko logs an untrusted (e.g. development) certificate with a traceback; the report says it.
        for noisy in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)


def _error_line(code: str, vi: str, en: str, name: str | None = None) -> None:
    where = f"{name}: " if name else ""
    print(f"lỗi [{code}]: {where}{vi} | error: {en}", file=sys.stderr)


def _read(path: Path) -> bytes:
    from .errors import UserError

    try:
        if path.is_dir():
            raise IsADirectoryError(path)
        return path.read_bytes()
    except OSError as exc:
        raise UserError("unreadable_file", f"Không đọc được tệp {path}.", f"Cannot read {path}: {exc.strerror or exc}")


def _progress_printer(name: str):
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done == total else "\r"
        print(f"{name}: nhận dạng trang {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_ocr(args) -> int:
    import ocr

    from .pipeline import read_pages
    from .settings import Settings

    settings = Settings()
    engine = ocr.make_engine(settings.ocr_engine, settings.ocr_lang, second=settings.ocr_second_engine)
    out, failed = [], False
    for path in args.files:
        try:
            pages = read_pages(_read(path), settings)
            progress = _progress_printer(path.name)
            results = ocr.ocr_pages(pages, engine, jobs=settings.ocr_jobs, keep_images=False,
                                    progress=(lambda d, n: progress("ocr", d, n)) if progress else None)
        except Exception as exc:
            if not _report_file_error(exc, path):
                raise
            failed = True
            continue
        out.append({"file": str(path), "pages": [r.text.to_json() for r in results]})
        if not args.json:
            print("\n\f".join(r.text.text for r in results))
    if args.json:
        json.dump(out if len(args.files) > 1 else (out[0] if out else {}), sys.stdout, ensure_ascii=False)
        print()
    return EXIT_FAIL if failed else EXIT_OK


def cmd_process(args) -> int:
    from .audit import COMMAND_LINE
    from .card_sides import join_card_backs
    from .pipeline import Submission, process_upload
    from .services import Services

    services = Services()
    args.out.mkdir(parents=True, exist_ok=True)
    uploads, failed = [], False
    for path in args.files:
        try:
            sub = Submission(_read(path), path.name, args.owner, args.kind, args.dossier, not args.one_paper)
            upload = join_card_backs(services, process_upload(sub, services, _progress_printer(path.name)), COMMAND_LINE)
        except Exception as exc:
            if not _report_file_error(exc, path):
                raise
            failed = True
            continue
        outputs = []
        for outcome in upload.documents:
            target = args.out / f"{outcome.code}.pdf"
            tmp = target.with_suffix(".pdf.tmp")
            tmp.write_bytes(outcome.pdf)
            tmp.replace(target)
            outputs.append(str(target))
            if not args.json:
                note = " (đã có trong kho)" if outcome.already_on_file else ""
                pages = f" (trang {_page_list(outcome.manifest.original.pages)} của tệp)" \
                    if len(upload.documents) > 1 and outcome.manifest.original.pages else ""
                print(f"{path.name} → {target}  mã {outcome.code}, {outcome.pages} trang{pages}{note}")
        if not args.json and (upload.plan.blank or upload.plan.sheets):
            print(f"{path.name}: trang trắng {_page_list([i + 1 for i in upload.plan.blank]) or 'không có'}, "
                  f"tờ tách/bìa {_page_list([i + 1 for i in upload.plan.sheets]) or 'không có'}")
        uploads.append({"file": str(path), "output": outputs[0], "outputs": outputs, **upload.summary()})
    if args.json:
        json.dump(uploads[0] if len(args.files) == 1 and uploads else {"documents": uploads},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    return EXIT_FAIL if failed else EXIT_OK


def _page_list(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def cmd_find(args) -> int:
    from .search import SearchQuery, search
    from .services import Services

    catalog = Services().catalog
    found = search(catalog, SearchQuery(text=args.text, code=args.code, owner_id=args.owner, dossier_code=args.dossier,
                                        kind=args.kind, agency_id=args.agency, since=args.since, until=args.until,
                                        valid_on=args.valid_on, limit=args.limit))
    for doc in found:
        doc.pop("text", None)
        doc.pop("search_text", None)
        doc["dossiers"] = catalog.dossiers_of(doc["code"])
    json.dump({"count": len(found), "documents": found}, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()
    return EXIT_OK


def cmd_reindex(args) -> int:
    from .reindex import reindex
    from .services import Services

    show = (lambda n: print(f"đã lập chỉ mục {n} giấy tờ", end="\r", file=sys.stderr)) if sys.stderr.isatty() else None
    count = reindex(Services(), progress=show, allow_empty=args.allow_empty)
    print(f"Đã lập lại chỉ mục: {count} giấy tờ.")
    return EXIT_OK


def _report_file_error(exc: Exception, path: Path) -> bool:
    from common.errors import AppError

    if not isinstance(exc, AppError):
        return False
    _error_line(exc.code, exc.message_vi, exc.message_en, name=path.name)
    return True


def cmd_verify(args) -> int:
    from signing import load_certificates

    from .pipeline import verify_untrusted
    from .settings import Settings

    settings = Settings()
    data = _read(args.file)
    roots = load_certificates(args.trust + settings.trust_root_paths)
    report = verify_untrusted(data, roots, settings, at=args.at, online=args.online)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if not report.signatures:
            print("Tệp không có chữ ký số.")
        if report.code_changed_after_signing:
            print(f"Mã giấy tờ đã bị sửa sau khi ký; mã được ký là {report.document_code}.")
        for s in report.signatures:
            ok = s.intact and s.valid and not s.revoked and not s.changes_after_signing
            state = "hợp lệ" if ok else "KHÔNG hợp lệ"
            trust = "tin cậy" if s.trusted else "chưa được tin cậy"
            revocation = ("chứng thư ĐÃ BỊ THU HỒI" if s.revoked else
                          "đã kiểm tra thu hồi" if s.revocation_checked else "chưa kiểm tra thu hồi")
            stamp = f"; dấu thời gian {s.timestamp}" if s.timestamp else ""
            print(f"{s.field}: {state}, {trust}; ký bởi {s.signer}; lúc {s.signing_time}{stamp}; "
                  f"{s.pades_level}; {revocation}")
    if not report.all_valid:
        if not args.json:
            _error_line("signature_invalid", "Chữ ký không hợp lệ hoặc tài liệu đã bị thay đổi sau khi ký.",
                        "A signature is invalid or the document changed after signing.")
        return EXIT_FAIL
    return EXIT_OK if report.all_trusted else EXIT_UNTRUSTED


def _bench(module: str):
    """A benchmark module from the source checkout's bench/ package (it is not in the wheel)."""
    try:
        return importlib.import_module(f"bench.{module}")
    except ModuleNotFoundError as exc:
        if exc.name not in ("bench", f"bench.{module}"):
            raise
        from .errors import UserError

        raise UserError("bench_not_installed", "Bộ đo hiệu năng chỉ có trong mã nguồn (thư mục bench/).",
                        "The benchmarks live in the source checkout (bench/), not in the installed package.") from None


def cmd_bench_fields(args) -> int:
    return EXIT_OK if _bench("fields").run(args.corpus, limit=args.limit) else EXIT_FAIL


def cmd_bench_split(args) -> int:
    return EXIT_OK if _bench("split").run(args.corpus, limit=args.limit) else EXIT_FAIL


def cmd_bench_catalog(args) -> int:
    return _bench("catalog").run_catalog_bench(args.rows, args.url, queries=args.queries)


def cmd_bench_web(args) -> int:
    return _bench("web").run_web_bench(args.documents, args.repeats, args.url)


def cmd_bench_pdf(args) -> int:
    return _bench("ocr_bench").run_pdf_bench(args.corpus, limit=args.limit)


def cmd_bench_ocr(args) -> int:
    return _bench("ocr_bench").run_ocr_bench(args.corpus, limit=args.limit, baseline=not args.no_baseline,
                                             as_json=args.json, throughput=args.throughput)


if __name__ == "__main__":
    sys.exit(main())
