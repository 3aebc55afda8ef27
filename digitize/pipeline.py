"""The main job: a received file becomes a signed, searchable, stored document.

Each stage is a plain function (in ocr/, signing/, storage/ and here); this module only chains
them and times them. Papers already on file are found by duplicates.py; what is stored, and in
which order, is archive.py's business (the original first, the manifest last).
"""
from __future__ import annotations

import json
import logging
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, replace
from datetime import date, datetime, timezone
from functools import partial
from typing import Callable

import ocr
from common import clock
from common.errors import AppError
from common.sandbox import run_limited
from signing import Stamp, VerifyReport, sign_pdf, signer_display_name, verify_pdf
from storage import layout

from . import archive, duplicates, reservations, split
from .archive import Agency, InputSignature, Manifest, NewDocument
from .codes import check_kind, check_owner_id, parse_dossier_code
from .errors import TooLargeError
from .fields import EForm, extract_fields
from .fields.model import fold
from .reservations import Reservation
from .services import Services
from .settings import Settings

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Submission:
    data: bytes
    filename: str
    owner_id: str | None = None
    kind: str | None = None
    dossier_code: str | None = None
    split: bool = True  # find the papers in the file; False: the file is one paper
    receipt_id: str | None = None  # set when a worker runs a receipt: a rerun finishes what a dead run began

    def checked(self, max_bytes: int) -> "Submission":
        """The same submission with ids normalized; raises UserError on anything malformed."""
        if len(self.data) > max_bytes:
            raise TooLargeError("file_too_large", f"Tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).",
                                f"The file is too large (at most {max_bytes} bytes).")
        owner = check_owner_id(self.owner_id) if self.owner_id else None
        kind = check_kind(self.kind) if self.kind else None
        dossier = self.dossier_code.strip().upper() if self.dossier_code else None
        if dossier:
            parse_dossier_code(dossier)
        return replace(self, filename=clean_filename(self.filename), owner_id=owner, kind=kind, dossier_code=dossier)


MAX_FILENAME = 200


def clean_filename(name: str | None) -> str:
    """What the sender called the file, safe to keep and show: its last path part, NFC, without
    control characters (NUL included) or leading dots, at most 200 characters."""
    text = unicodedata.normalize("NFC", (name or "").replace("\\", "/")).rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return text[:MAX_FILENAME] or "upload"


@dataclass
class Outcome:
    code: str
    pdf: bytes
    manifest: Manifest
    form: EForm
    page_texts: list[ocr.PageText] = field(default_factory=list)
    duplicate: str | None = None  # "same_file" or "rescan" when the paper was already on file

    @property
    def pages(self) -> int:
        return self.manifest.pages

    @property
    def sha256(self) -> str:
        return self.manifest.objects.signed_pdf.sha256

    @property
    def already_on_file(self) -> bool:
        return self.duplicate is not None

    @property
    def seconds(self) -> dict[str, float]:
        return self.manifest.seconds

    def summary(self) -> dict:
        return {
            "code": self.code,
            "pages": self.pages,
            "sha256": self.sha256,
            "already_on_file": self.already_on_file,
            "duplicate": self.duplicate,
            "kind": self.manifest.kind,
            "owner_id": self.manifest.owner_id,
            "dossier_code": self.manifest.dossier_code,
            "fields": self.form.to_json()["fields"],
            "objects": self.manifest.objects.model_dump(),
            "seconds": self.seconds,
            "source_pages": self.manifest.original.pages,
            "split_reason": self.manifest.split_reason,
        }

    def brief(self) -> dict:
        """One paper of an upload, as the counter is told it."""
        return {"code": self.code, "kind": self.manifest.kind, "title": self.manifest.title, "pages": self.pages,
                "source_pages": self.manifest.original.pages, "split_reason": self.manifest.split_reason,
                "already_on_file": self.already_on_file, "duplicate": self.duplicate}


@dataclass
class UploadOutcome:
    """What one received file became: a document per paper, and how it was split."""

    documents: list[Outcome]
    plan: split.SplitPlan
    pages: int  # pages in the file as received

    @property
    def needs_review(self) -> bool:
        """A clerk confirms a split into several papers, and an upload that could not be split."""
        return len(self.documents) > 1 or any(p.reason == "unsplit" for p in self.plan.papers)

    def summary(self) -> dict:
        """The first paper's summary (what a one-paper upload always gave), then every paper."""
        return {**self.documents[0].summary(), "documents": [o.brief() for o in self.documents],
                "split": self.plan.to_json(), "split_review": self.needs_review}


@dataclass
class Received:
    submission: Submission
    original_sha256: str
    file: ocr.FileInfo


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - t, 3)


def receive(sub: Submission, services: Services) -> Received:
    """Check cheaply (ids, size, type, page count and pixels; nothing decoded, in a limited child
    process) and keep the original. Bad input raises before anything is written."""
    settings = services.settings
    sub = sub.checked(settings.max_file_bytes)
    info = check_file(sub.data, settings)
    sha = archive.keep_original(services.store, sub.data, settings.retention_years)
    return Received(sub, sha, info)


def check_file(data: bytes, settings: Settings) -> ocr.FileInfo:
    """Type, pages and pixels of an untrusted file, read in a limited child process; raises on a
    file that no paper explains (corrupt, encrypted, too many pages or pixels)."""
    info = run_limited(ocr.inspect, data, settings.max_pages, seconds=settings.parse_seconds,
                       memory_mb=settings.parse_memory_mb // 4)
    if info.pixels > settings.max_pixels:
        raise TooLargeError("document_too_large",
                            f"Tệp quá lớn để xử lý ({info.pixels / 1e6:.0f} triệu điểm ảnh, tối đa "
                            f"{settings.max_pixels / 1e6:.0f} triệu): hãy chia nhỏ hoặc quét ở 300 dpi.",
                            f"The file has {info.pixels} pixels in all, more than {settings.max_pixels}.")
    return info


def read_pages(data: bytes, settings: Settings) -> list[ocr.SourcePage]:
    """`check_file`, then `decode`."""
    return decode(data, check_file(data, settings), settings)


DECODE_PAGES = 6  # pages decoded at a time: a 40-page batch at 300 dpi would not fit in the memory limit


def decode(data: bytes, info: ocr.FileInfo, settings: Settings,
           wanted: range | None = None) -> list[ocr.SourcePage]:
    """The pages' pixels (or a born-digital page's words), all or those `wanted`, decoded in a
    limited child process."""
    count = len(wanted) if wanted is not None else info.pages
    seconds = max(settings.parse_seconds, settings.parse_seconds_per_page * count)
    return run_limited(partial(ocr.load_pages, wanted=wanted), data, info.pages, seconds=seconds,
                       memory_mb=settings.parse_memory_mb)


def read_all(data: bytes, info: ocr.FileInfo, services: Services,
             progress: Progress | None = None) -> list[ocr.PageResult]:
    """Every page decoded and recognized, a few pages at a time, so that only those few are ever
    held as pixels (the results keep the encoded pictures)."""
    settings, results = services.settings, []
    for start in range(0, info.pages, DECODE_PAGES):
        wanted = range(start, min(info.pages, start + DECODE_PAGES))
        pages = decode(data, info, settings, wanted)
        done = len(results)
        results += ocr.ocr_pages(pages, services.engine, jobs=settings.ocr_jobs, jpeg_quality=settings.jpeg_quality,
                                 progress=(lambda d, _n: progress("ocr", done + d, info.pages)) if progress else None)
    return results


def process_upload(sub: Submission, services: Services, progress: Progress | None = None) -> UploadOutcome:
    """A received file becomes one signed, stored document per paper it holds (split.py finds them)."""
    timer = _Timer()
    with timer.stage("receive"):
        received = receive(sub, services)
        sub = received.submission
    on_file = duplicates.same_file(services, received.original_sha256, sub.owner_id, sub.kind)
    if on_file and not (sub.receipt_id and reservations.any_reserved(services, sub.receipt_id)):
        outcomes = [on_file_outcome(services, code, sub.dossier_code, "same_file") for code in on_file]
        return UploadOutcome(outcomes, _plan_of(outcomes, received.file.pages), received.file.pages)

    with timer.stage("ocr"):
        results = read_all(sub.data, received.file, services, progress)
    with timer.stage("split"):
        plan = _split(sub, results, services)
    outcomes = []
    for n, paper in enumerate(plan.papers):
        if progress and len(plan.papers) > 1:
            progress("papers", n, len(plan.papers))
        outcomes.append(_paper(services, received, [results[i] for i in paper.pages], paper, timer,
                               whole=len(paper.pages) == len(results)))
    return UploadOutcome(outcomes, plan, len(results))


def process(sub: Submission, services: Services, progress: Progress | None = None) -> Outcome:
    """The whole upload as one document, unsplit: for a file the sender says is one paper."""
    return process_upload(replace(sub, split=False), services, progress).documents[0]


def _split(sub: Submission, results: list[ocr.PageResult], services: Services) -> split.SplitPlan:
    """The papers of the upload; the whole upload as one paper when asked, or when nothing but
    blank pages and sheets was found (kept whole, for a person to look at)."""
    everything = split.SplitPlan(papers=[split.Paper(list(range(len(results))), "whole", sub.dossier_code)])
    if not sub.split:
        return everything
    plan = split.plan([split.signals(r.text, partial(_is_document, services)) for r in results], sub.dossier_code)
    if not plan.papers:
        everything.papers[0].reason = "unsplit"
        return everything
    return plan


def _is_document(services: Services, payload: str) -> bool:
    """Whether a QR payload is the code of a document in the warehouse (printed on our stamp)."""
    try:
        code = services.code_format.validate(payload)
    except AppError:
        return False
    return services.catalog.get(code) is not None and archive.has_document(services.store, code)


def _plan_of(outcomes: list[Outcome], pages: int) -> split.SplitPlan:
    """The split that made the documents of a file received before."""
    return split.SplitPlan(papers=[split.Paper([p - 1 for p in o.manifest.original.pages] or list(range(pages)),
                                               "same_file") for o in outcomes])


def _paper(services: Services, received: Received, results: list[ocr.PageResult], paper: split.Paper,
           timer: _Timer, *, whole: bool) -> Outcome:
    """One paper of the upload: found on file already, or made into a new signed document. Its
    pages are numbered from 1 in its own PDF, e-form and OCR; the manifest says which pages of the
    original they were."""
    settings, sub = services.settings, received.submission
    dossier = paper.dossier_code or sub.dossier_code
    if paper.earlier_code:
        return on_file_outcome(services, paper.earlier_code, dossier, "earlier_code")
    texts = [replace(r.text, index=k) for k, r in enumerate(results)]
    with timer.stage("fields"):
        form = extract_fields(texts, sub.kind if whole else None)
    kind = form.kind
    reservation = reservations.reserved(services, sub.receipt_id, paper.pages) if sub.receipt_id else None
    if reservation is None:
        rescan = duplicates.rescan_of(services, sub.owner_id, kind, texts)
        if rescan is not None:
            return on_file_outcome(services, rescan, dossier, "rescan")
    elif archive.has_document(services.store, reservation.code):
        log.info("receipt %s: %s was stored by a run that died; catalogued now", sub.receipt_id, reservation.code)
        return _stored_before(services, reservation.code, texts)
    else:
        log.info("receipt %s: finishing %s, which a run that died began", sub.receipt_id, reservation.code)
    resumed = reservation is not None
    with timer.stage("code"):
        code, scope, sequence = astuple(reservation or _new_code(services, sub.receipt_id, paper.pages, kind))
    with timer.stage("pdf"):
        removed, signed_before = _born_digital_checks(sub.data, results, services)
        info = ocr.PdfInfo(title=title_of(form, sub.filename, texts), author=settings.agency_name,
                           subject=f"{kind} {dossier or ''}".strip(), document_code=code)
        pdf = ocr.build_pdf([r.pdf_page() for r in results], info,
                            source_pdf=sub.data if any(r.image is None for r in results) else None)
    with timer.stage("sign"):
        signed = (_signed_before(services, code) if resumed else None) or sign(services, pdf, code)
    with timer.stage("store"):
        new = NewDocument(
            code=code, kind=kind, title=info.title, code_scope=scope, code_sequence=sequence,
            owner_id=sub.owner_id, dossier_code=dossier,
            agency=Agency(id=services.agency_id, name=settings.agency_name),
            original_sha256=received.original_sha256, original_size=len(sub.data),
            original_filename=sub.filename, original_type=received.file.type,
            signed_pdf=signed, pages=texts, form=form, seconds=timer.seconds, removed_content=removed,
            input_signatures=signed_before, source_pages=[] if whole else [i + 1 for i in paper.pages],
            split_reason=None if paper.reason == "whole" else paper.reason)
        manifest = archive.store_document(services.store, new, settings.retention_for(kind),
                                          resume=resumed)
        services.catalog.add_document(archive.catalog_row(manifest, archive.catalog_text(texts), form))
    manifest.seconds = dict(timer.seconds)
    return Outcome(code=code, pdf=signed, manifest=manifest, form=form, page_texts=texts)


def _new_code(services: Services, receipt_id: str | None, pages: list[int], kind: str) -> Reservation:
    """The next code; for a receipt's paper, recorded as reserved before anything is stored."""
    allocate = partial(_allocate_code, services, clock.today(), kind)
    if receipt_id is None:
        return Reservation(*allocate())
    return reservations.reserve(services, receipt_id, pages, allocate)


def _stored_before(services: Services, code: str, texts: list[ocr.PageText]) -> Outcome:
    """A paper's document that a dead run of its receipt stored: catalogued now, if it was not."""
    outcome = load_outcome(code, services)
    services.catalog.add_document(archive.catalog_row(outcome.manifest, archive.catalog_text(texts), outcome.form))
    return replace(outcome, page_texts=texts)



def _signed_before(services: Services, code: str) -> bytes | None:
    """The signed PDF a dead run stored under this code before its manifest: objects are written
    once, so a second signing (another time, another PDF) could not be stored."""
    key = layout.version_object_key(code, 1, archive.SIGNED_PDF)
    return services.store.get(key) if services.store.exists(key) else None


def sign(services: Services, pdf: bytes, code: str) -> bytes:
    """The service's PAdES signature, its visible stamp carrying the document code as text and QR."""
    settings, signer = services.settings, services.signer
    return sign_pdf(pdf, signer, Stamp(copy_type=settings.copy_type, agency=settings.agency_name,
                                       signer_name=signer_display_name(signer), document_code=code,
                                       qr_payload=code, font=settings.stamp_font),
                    timestamp_url=settings.timestamp_url or None,
                    level=settings.signature_level or None, trust_roots=services.trust_roots)


def allocate_code(services: Services, kind: str) -> tuple[str, str, int]:
    """A new document code for today (Vietnam time): (code, scope, sequence)."""
    return _allocate_code(services, clock.today(), kind)


VERIFY_SECONDS = 30


def verify_untrusted(data: bytes, trust_roots: list, settings: Settings, *, at: datetime | None = None,
                     online: bool = False) -> VerifyReport:
    """`signing.verify_pdf` on a PDF that may be anyone's, in a limited child process."""
    return run_limited(partial(verify_pdf, at=at, online=online), data, trust_roots, seconds=VERIFY_SECONDS,
                       memory_mb=settings.parse_memory_mb // 4)


def _born_digital_checks(data: bytes, results: list[ocr.PageResult],
                         services: Services) -> tuple[list[str], list[InputSignature]]:
    """What active content the copied pages lose, and the signatures the file came with; both read
    in a limited child process, since the file is a stranger's."""
    settings = services.settings
    kept = [r.text.index for r in results if r.image is None]
    removed = run_limited(ocr.active_content, data, kept, seconds=settings.parse_seconds,
                          memory_mb=settings.parse_memory_mb // 4) if kept else []
    if not data.startswith(b"%PDF") or b"/ByteRange" not in data:
        return removed, []
    try:
        report = verify_untrusted(data, services.trust_roots, settings)
    except AppError as exc:
        log.info("signatures of the input unreadable: %s", exc.code)
        return removed, []
    return removed, [InputSignature(field=s.field, signer=s.signer, signing_time=s.signing_time, intact=s.intact,
                                    valid=s.valid, trusted=s.trusted) for s in report.signatures]


def on_file_outcome(services: Services, code: str, dossier_code: str | None, duplicate: str) -> Outcome:
    """The stored document a paper already became, linked to this dossier too."""
    link_dossier(services, code, dossier_code)
    return load_outcome(code, services, duplicate=duplicate)


def load_outcome(code: str, services: Services, *, duplicate: str | None = None) -> Outcome:
    stored = archive.load_document(services.store, code)
    return Outcome(code=code, pdf=stored.pdf, manifest=stored.manifest, form=stored.form, duplicate=duplicate)


def link_dossier(services: Services, code: str, dossier_code: str | None) -> None:
    """Record in the warehouse, then in the catalog, that the document belongs to one more dossier."""
    if not dossier_code:
        return
    key = layout.dossier_link_key(code, dossier_code)
    if not services.store.exists(key):
        record = {"dossier_code": dossier_code, "document_code": code,
                  "linked_at": datetime.now(timezone.utc).isoformat()}
        services.store.put(key, json.dumps(record).encode(), "application/json")
    services.catalog.link(dossier_code, code)


def _allocate_code(services: Services, day: date, kind: str) -> tuple[str, str, int]:
    fmt = services.code_format
    scope = fmt.scope(agency=services.agency_id, day=day, kind=kind)
    seq = services.catalog.next_sequence(scope)
    return fmt.format(agency=services.agency_id, day=day, sequence=seq, kind=kind), scope, seq


KIND_TITLES = {"cccd": "Căn cước công dân", "birth": "Giấy khai sinh"}
_HEADINGS_SKIPPED = ("CONG HOA XA HOI", "DOC LAP", "TU DO", "HANH PHUC")


def title_of(form: EForm, filename: str, texts: list[ocr.PageText] | None = None) -> str:
    """A document's title as a clerk names it: an administrative document's type and number, a
    card's or certificate's kind and holder, another paper's own heading ("ĐƠN ĐỀ NGHỊ …"); the
    file's name only when nothing better was read."""
    if "doc_type" in form.fields:
        return " ".join(x for x in (form.value("doc_type"), form.value("number")) if x)
    holder = form.value("full_name") or form.value("child_name")
    if form.kind in KIND_TITLES:
        return f"{KIND_TITLES[form.kind]} — {holder}" if holder else KIND_TITLES[form.kind]
    heading = _heading(texts[0]) if texts else None
    return heading or filename


def _heading(page: ocr.PageText) -> str | None:
    """The first line in capitals of a page's top third (the title of an application or a form)."""
    for line in page.text.splitlines()[:12]:
        text = " ".join(line.split())
        letters = [c for c in text if c.isalpha()]
        if len(text.split()) >= 2 and len(letters) >= 8 and text.upper() == text and \
                not any(skip in fold(text) for skip in _HEADINGS_SKIPPED):
            return text[:120]
    return None
