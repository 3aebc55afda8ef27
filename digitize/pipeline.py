"""The main job: a received file becomes a signed, searchable, stored document.

Each stage is a plain function (in ocr/, signing/, storage/ and here); this
module only chains them, times them and decides the order of writes: the
original first, the manifest last, so a document exists only when complete.
"""
from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable

import edlib

import ocr
from signing import Stamp, sign_pdf, signer_display_name
from storage import layout, sha256_hex
from storage.catalog import fold

from .codes import check_kind, check_owner_id, parse_dossier_code
from .errors import UserError
from .fields import extract_fields
from .services import Services

log = logging.getLogger(__name__)
VIETNAM = timezone(timedelta(hours=7))
Progress = Callable[[str, int, int], None]  # (stage, done, total)
MANIFEST_SCHEMA = 1


@dataclass
class Submission:
    data: bytes
    filename: str
    owner_id: str | None = None
    kind: str | None = None
    dossier_code: str | None = None

    def checked(self, max_bytes: int) -> "Submission":
        """The same submission with ids normalized; raises UserError on anything malformed."""
        if len(self.data) > max_bytes:
            raise UserError("file_too_large", f"Tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).",
                            f"The file is too large (at most {max_bytes} bytes).")
        owner = check_owner_id(self.owner_id) if self.owner_id else None
        kind = check_kind(self.kind) if self.kind else None
        dossier = self.dossier_code.strip().upper() if self.dossier_code else None
        if dossier:
            parse_dossier_code(dossier)
        return Submission(self.data, self.filename, owner, kind, dossier)


@dataclass
class Outcome:
    code: str
    pages: int
    sha256: str
    pdf: bytes
    manifest: dict
    fields: dict
    page_texts: list[ocr.PageText] = field(default_factory=list)
    already_on_file: bool = False
    duplicate: str | None = None  # "same_file" or "rescan" when the paper was already on file

    def summary(self) -> dict:
        return {
            "code": self.code,
            "pages": self.pages,
            "sha256": self.sha256,
            "already_on_file": self.already_on_file,
            "duplicate": self.duplicate,
            "kind": self.manifest["kind"],
            "owner_id": self.manifest["owner_id"],
            "dossier_code": self.manifest["dossier_code"],
            "fields": self.fields.get("fields", {}),
            "objects": self.manifest["objects"],
            "seconds": self.manifest["seconds"],
        }


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


def receive(sub: Submission, services: Services) -> tuple[Submission, list[ocr.SourcePage], str]:
    """Validate and keep the original. Bad input raises before anything is written."""
    sub = sub.checked(services.settings.max_file_bytes)
    pages = ocr.load_pages(sub.data, max_pages=services.settings.max_pages)
    sha = sha256_hex(sub.data)
    services.store.put(layout.original_key(sha), sub.data, _content_type(sub.data),
                       retain_years=services.settings.retention_years)
    return sub, pages, sha


def process(sub: Submission, services: Services, progress: Progress | None = None) -> Outcome:
    timer = _Timer()
    with timer.stage("receive"):
        sub, pages, original_sha = receive(sub, services)
    on_file = _already_on_file(services, original_sha, sub)
    if on_file is not None:
        link_dossier(services, on_file.code, sub.dossier_code)
        return on_file

    with timer.stage("ocr"):
        results = ocr.ocr_pages(pages, jobs=services.settings.ocr_jobs,
                                progress=(lambda d, n: progress("ocr", d, n)) if progress else None)
    texts = [r.text for r in results]
    with timer.stage("fields"):
        fields = extract_fields(texts, sub.kind)
    kind = fields["kind"]
    rescan = _rescan_of(services, sub.owner_id, kind, texts)
    if rescan is not None:
        link_dossier(services, rescan.code, sub.dossier_code)
        return rescan
    with timer.stage("code"):
        today = datetime.now(VIETNAM).date()  # the counter's day, whatever the server's clock zone
        code, scope, sequence = _allocate_code(services, today, kind)
    with timer.stage("pdf"):
        info = ocr.PdfInfo(title=_title(fields, sub.filename), author=services.settings.agency_name,
                           subject=f"{kind} {sub.dossier_code or ''}".strip(), document_code=code)
        pdf = ocr.build_pdf([r.pdf_page() for r in results], info,
                            source_pdf=sub.data if any(r.image is None for r in results) else None)
    with timer.stage("sign"):
        signer = services.signer
        signed = sign_pdf(pdf, signer, Stamp(copy_type=services.settings.copy_type,
                                             agency=services.settings.agency_name,
                                             signer_name=signer_display_name(signer),
                                             document_code=code, qr_payload=code),
                          timestamp_url=services.settings.timestamp_url or None,
                          level=services.settings.signature_level or None, trust_roots=services.trust_roots)
    with timer.stage("store"):
        manifest = _store(services, code, sub, original_sha, kind, signed, texts, fields, timer.seconds,
                          title=info.title, code_scope=scope, code_sequence=sequence)
        services.catalog.add_document(catalog_row(manifest, "\n\f".join(t.text for t in texts), fields))
    manifest["seconds"] = dict(timer.seconds)
    return Outcome(code=code, pages=len(texts), sha256=sha256_hex(signed), pdf=signed, manifest=manifest,
                   fields=fields, page_texts=texts)


def _already_on_file(services: Services, original_sha: str, sub: Submission) -> Outcome | None:
    """The document made earlier from this very file for this owner, if the warehouse still has it.

    The catalog is derived data: an entry whose manifest is not in the warehouse does not count.
    """
    for existing in services.catalog.find_by_original(original_sha, sub.owner_id):
        if sub.kind is not None and sub.kind != existing["kind"]:
            continue
        if services.store.exists(layout.manifest_key(existing["code"])):
            return load_outcome(existing["code"], services, duplicate="same_file")
        log.warning("catalog lists %s but its manifest is not in the warehouse", existing["code"])
    return None


RESCAN_SIMILARITY = 0.9  # share of the text two scans of one paper have in common, at least


def _rescan_of(services: Services, owner_id: str | None, kind: str, texts: list[ocr.PageText]) -> Outcome | None:
    """The owner's document of this kind whose text is nearly the same: the same paper scanned again."""
    if not owner_id:
        return None
    new = fold("\n".join(t.text for t in texts))
    if len(new) < 40:  # too little text to tell two papers apart
        return None
    for existing in services.catalog.documents_of_owner(owner_id, kind, with_text=True, limit=50):
        old = fold(existing.get("text") or "")
        if old and text_similarity(new, old) >= RESCAN_SIMILARITY and \
                services.store.exists(layout.manifest_key(existing["code"])):
            log.info("rescan of %s recognised for owner %s", existing["code"], owner_id)
            return load_outcome(existing["code"], services, duplicate="rescan")
    return None


def text_similarity(a: str, b: str) -> float:
    """1 minus the edit distance over the longer text's length."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < 0.8 * max(len(a), len(b)):
        return 0.0
    return 1 - edlib.align(a, b, task="distance")["editDistance"] / max(len(a), len(b))


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


def catalog_row(manifest: dict, text: str, fields: dict) -> dict:
    """What the catalog keeps of a stored document: from its manifest, OCR text and fields."""
    f = fields.get("fields", {})
    return {
        "code": manifest["code"], "owner_id": manifest["owner_id"], "kind": manifest["kind"],
        "agency_id": manifest["agency"]["id"], "dossier_code": manifest["dossier_code"],
        "original_sha256": manifest["original"]["sha256"],
        "signed_sha256": manifest["objects"]["signed_pdf"]["sha256"], "pages": manifest["pages"],
        "title": manifest.get("title"), "created_at": datetime.fromisoformat(manifest["created_at"]),
        "text": text, **catalog_dates(f),
    }


def catalog_dates(fields: dict) -> dict:
    """The dates the catalog answers 'still valid on' with, from an e-form's fields."""
    return {"issued_on": iso_date(fields.get("date", {}).get("value")),
            "valid_until": iso_date(fields.get("expiry", {}).get("value"))}


def iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _allocate_code(services: Services, day: date, kind: str) -> tuple[str, str, int]:
    fmt = services.code_format
    scope = fmt.scope(agency=services.agency_id, day=day, kind=kind)
    seq = services.catalog.next_sequence(scope)
    return fmt.format(agency=services.agency_id, day=day, sequence=seq, kind=kind), scope, seq


def _store(services: Services, code: str, sub: Submission, original_sha: str, kind: str, signed: bytes,
           texts: list[ocr.PageText], fields: dict, seconds: dict, *, title: str, code_scope: str,
           code_sequence: int) -> dict:
    store, years = services.store, services.settings.retention_for(kind)
    ocr_json = json.dumps({"code": code, "pages": [t.to_json() for t in texts]}, ensure_ascii=False).encode()
    objects = {
        "signed_pdf": store.put(layout.document_key(code, "signed.pdf"), signed, "application/pdf",
                                retain_years=years),
        "ocr": store.put(layout.document_key(code, "ocr.json"), ocr_json, "application/json", retain_years=years),
        "fields": store.put(layout.document_key(code, "fields.json"),
                            json.dumps(fields, ensure_ascii=False).encode(), "application/json", retain_years=years),
    }
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "code": code,
        "kind": kind,
        "title": title,
        "code_scope": code_scope,
        "code_sequence": code_sequence,
        "owner_id": sub.owner_id,
        "dossier_code": sub.dossier_code,
        "agency": {"id": services.agency_id, "name": services.settings.agency_name},
        "pages": len(texts),
        "created_at": datetime.now(timezone.utc).isoformat(),
        "original": {"key": layout.original_key(original_sha), "sha256": original_sha, "size": len(sub.data),
                     "filename": sub.filename, "type": ocr.sniff_type(sub.data)},
        "objects": {name: {"key": o.key, "sha256": o.sha256, "size": o.size} for name, o in objects.items()},
        "seconds": dict(seconds),
    }
    store.put(layout.manifest_key(code), json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
              "application/json", retain_years=years)
    return manifest


def load_outcome(code: str, services: Services, *, duplicate: str | None = None) -> Outcome:
    manifest = json.loads(services.store.get(layout.manifest_key(code)))
    pdf = services.store.get(manifest["objects"]["signed_pdf"]["key"])
    fields = json.loads(services.store.get(manifest["objects"]["fields"]["key"]))
    return Outcome(code=code, pages=manifest["pages"], sha256=sha256_hex(pdf), pdf=pdf, manifest=manifest,
                   fields=fields, already_on_file=duplicate is not None, duplicate=duplicate)


def _title(fields: dict, filename: str) -> str:
    f = fields.get("fields", {})
    if "doc_type" in f:
        return " ".join(x for x in (f["doc_type"]["value"], f.get("number", {}).get("value", "")) if x)
    return filename


_TYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "png": "image/png", "jpeg": "image/jpeg"}


def _content_type(data: bytes) -> str:
    return _TYPES[ocr.sniff_type(data)]
