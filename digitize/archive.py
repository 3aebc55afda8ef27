"""The document archive: the only place that knows which objects make up a stored document.

A document is its signed PDF, its OCR words, its e-form and, written last, its manifest: a
document exists once its manifest does. The manifest is typed (`Manifest`); the catalog row is
made from it here too, so the catalog never reads the warehouse's layout on its own.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field

import ocr
from common.clock import iso_date
from storage import ObjectStore, StorageError, StoredObject, layout, sha256_hex
from storage.errors import ObjectExists

from .fields.form import EForm, FormField

log = logging.getLogger(__name__)
MANIFEST_SCHEMA = 1
SIGNED_PDF, OCR_JSON, FIELDS_JSON = "signed.pdf", "ocr.json", "fields.json"
_TYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "png": "image/png", "jpeg": "image/jpeg"}


class ObjectRef(BaseModel):
    key: str
    sha256: str
    size: int


class OriginalRef(ObjectRef):
    """The file as received. `pages`: which of its pages (1-based) this document holds, when the
    upload was a batch of several papers; empty when it holds them all."""

    filename: str
    type: str
    pages: list[int] = Field(default_factory=list)


class Agency(BaseModel):
    id: str
    name: str


class DocumentObjects(BaseModel):
    signed_pdf: ObjectRef
    ocr: ObjectRef
    fields: ObjectRef


class InputSignature(BaseModel):
    """A signature the file already carried when it was received (the original keeps it)."""

    field: str
    signer: str
    signing_time: str | None = None
    intact: bool
    valid: bool
    trusted: bool


class Manifest(BaseModel):
    """What a stored document is made of and where it came from (documents/<code>/manifest.json)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_version: int = Field(MANIFEST_SCHEMA, alias="schema")
    code: str
    kind: str
    title: str | None = None
    code_scope: str | None = None
    code_sequence: int | None = None
    owner_id: str | None = None
    dossier_code: str | None = None
    agency: Agency
    pages: int
    created_at: str
    original: OriginalRef
    objects: DocumentObjects
    seconds: dict[str, float] = Field(default_factory=dict)
    removed_content: list[str] = Field(default_factory=list)  # active content left out of the signed copy
    input_signatures: list[InputSignature] = Field(default_factory=list)
    split_reason: str | None = None  # why this paper begins where it does in its batch (split.py)
    version: int = 1  # the page tools make new versions under the same code (page_tools.py)
    change: str | None = None  # what a later version changed, in the clerk's words
    changed_by: str | None = None
    page_sources: list[str] = Field(default_factory=list)  # per page: "v1 p3", "rescan", "<code> v1 p2"
    merged_into: str | None = None  # the document this one's pages went to

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


@dataclass
class NewDocument:
    """Everything the pipeline made for one paper, ready to be stored."""

    code: str
    kind: str
    title: str
    code_scope: str
    code_sequence: int
    owner_id: str | None
    dossier_code: str | None
    agency: Agency
    original_sha256: str
    original_size: int
    original_filename: str
    original_type: str
    signed_pdf: bytes
    pages: list[ocr.PageText]
    form: EForm
    seconds: dict[str, float]
    removed_content: list[str] = field(default_factory=list)
    input_signatures: list[InputSignature] = field(default_factory=list)
    source_pages: list[int] = field(default_factory=list)  # 1-based pages of the original; empty: all
    split_reason: str | None = None


@dataclass
class StoredDocument:
    manifest: Manifest
    pdf: bytes
    form: EForm  # as extracted (version 1)


def content_type(file_type: str) -> str:
    return _TYPES[file_type]


def keep_original(store: ObjectStore, data: bytes, retain_years: int) -> str:
    """The file as received, stored once per content; returns its SHA-256."""
    sha = sha256_hex(data)
    store.put(layout.original_key(sha), data, content_type(ocr.sniff_type(data)), retain_years=retain_years)
    return sha


def store_document(store: ObjectStore, doc: NewDocument, retain_years: int, *,
                   version: int = 1, fields_ref: ObjectRef | None = None, resume: bool = False,
                   **history) -> Manifest:
    """The document's objects under retention, then its manifest, last. A later version (page
    tools) keeps the e-form where eform.py keeps its versions (`fields_ref`: the e-form it starts
    from), and `history` says what changed (Manifest's change, changed_by, page_sources).
    `resume`: a run that died before the manifest stored some objects already; they are kept."""
    ocr_json = json.dumps({"code": doc.code, "pages": [p.to_json() for p in doc.pages]}, ensure_ascii=False)

    def put(name: str, data: bytes, mime: str) -> StoredObject:
        key = layout.version_object_key(doc.code, version, name)
        try:
            return store.put(key, data, mime, retain_years=retain_years)
        except ObjectExists:
            if not resume:
                raise
            kept = store.get(key)
            return StoredObject(key, sha256_hex(kept), len(kept))

    objects = {
        "signed_pdf": put(SIGNED_PDF, doc.signed_pdf, "application/pdf"),
        "ocr": put(OCR_JSON, ocr_json.encode(), "application/json"),
        "fields": fields_ref or put(FIELDS_JSON, json.dumps(doc.form.to_json(), ensure_ascii=False).encode(),
                                    "application/json"),
    }
    manifest = Manifest(
        code=doc.code, kind=doc.kind, title=doc.title, code_scope=doc.code_scope, code_sequence=doc.code_sequence,
        owner_id=doc.owner_id, dossier_code=doc.dossier_code, agency=doc.agency, pages=len(doc.pages),
        created_at=datetime.now(timezone.utc).isoformat(),
        original=OriginalRef(key=layout.original_key(doc.original_sha256), sha256=doc.original_sha256,
                             size=doc.original_size, filename=doc.original_filename, type=doc.original_type,
                             pages=doc.source_pages),
        objects=DocumentObjects(**{name: ObjectRef(key=o.key, sha256=o.sha256, size=o.size)
                                   for name, o in objects.items()}),
        seconds=dict(doc.seconds), removed_content=doc.removed_content, input_signatures=doc.input_signatures,
        split_reason=doc.split_reason, version=version, **history,
    )
    write_manifest(store, manifest, retain_years)
    return manifest


def write_manifest(store: ObjectStore, manifest: Manifest, retain_years: int) -> None:
    """Create-once: of two versions made at once from the same one, only one is written."""
    store.put(layout.manifest_key(manifest.code, manifest.version),
              json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode(), "application/json",
              retain_years=retain_years)


def has_document(store: ObjectStore, code: str) -> bool:
    return store.exists(layout.manifest_key(code))


def latest_version(store: ObjectStore, code: str) -> int:
    version = 1
    while store.exists(layout.manifest_key(code, version + 1)):
        version += 1
    return version


def load_manifest(store: ObjectStore, code: str, version: int | None = None) -> Manifest:
    """A version's manifest, the latest by default: a code always names the document as it is now."""
    version = version or latest_version(store, code)
    return Manifest.model_validate(json.loads(store.get(layout.manifest_key(code, version))))


def load_document(store: ObjectStore, code: str) -> StoredDocument:
    manifest = load_manifest(store, code)
    pdf = _checked_read(store, code, manifest.objects.signed_pdf)
    form = EForm.model_validate_json(_checked_read(store, code, manifest.objects.fields))
    return StoredDocument(manifest=manifest, pdf=pdf, form=form)


def signed_pdf(store: ObjectStore, code: str, catalog_sha256: str | None = None) -> bytes:
    """The signed PDF, checked against the manifest's SHA-256, and the manifest against the catalog's
    when given: an object replaced with another document's bytes (and a matching checksum of its own)
    is an integrity error, never served."""
    manifest = load_manifest(store, code)
    expected = manifest.objects.signed_pdf
    if catalog_sha256 is not None and catalog_sha256 != expected.sha256:
        raise _integrity(code, "the manifest and the catalog disagree on the signed PDF")
    return _checked_read(store, code, expected)


def version_pdf(store: ObjectStore, manifest: Manifest) -> bytes:
    """The signed PDF of the version `manifest` describes, checked against it."""
    return _checked_read(store, manifest.code, manifest.objects.signed_pdf)


def version_ocr(store: ObjectStore, manifest: Manifest) -> list[dict]:
    return json.loads(_checked_read(store, manifest.code, manifest.objects.ocr))["pages"]


def ocr_pages(store: ObjectStore, code: str) -> list[dict]:
    """The stored OCR of each page: text, words with boxes, codes (ocr.PageText.to_json)."""
    manifest = load_manifest(store, code)
    return json.loads(_checked_read(store, code, manifest.objects.ocr))["pages"]


def _checked_read(store: ObjectStore, code: str, ref: ObjectRef) -> bytes:
    try:
        data = store.get(ref.key, sha256=ref.sha256)
    except StorageError as exc:
        if exc.code == "integrity_error":
            raise _integrity(code, f"{ref.key} is not the object its manifest names") from None
        raise
    if sha256_hex(data) != ref.sha256:
        raise _integrity(code, f"{ref.key} is not the object its manifest names")
    return data


def _integrity(code: str, why: str) -> StorageError:
    log.error("integrity alert for document %s: %s", code, why)
    return StorageError("integrity_error", f"Dữ liệu lưu trữ của giấy tờ {code} bị sai lệch so với bản kê.",
                        f"Stored data of {code} does not match its manifest: {why}.")


def fields_key(code: str, version: int = 1) -> str:
    """The e-form's first version is fields.json; corrections are fields.v<N>.json."""
    return layout.document_key(code, FIELDS_JSON if version == 1 else f"fields.v{version}.json")


def catalog_text(pages: list[ocr.PageText]) -> str:
    """What the catalog searches of a document: its pages' text, a form feed between pages."""
    return "\n\f".join(p.text for p in pages)


def catalog_row(manifest: Manifest, text: str, form: EForm) -> dict:
    """What the catalog keeps of a stored document: from its manifest, OCR text and e-form."""
    return {
        "code": manifest.code, "owner_id": manifest.owner_id, "kind": manifest.kind,
        "agency_id": manifest.agency.id, "dossier_code": manifest.dossier_code,
        "original_sha256": manifest.original.sha256, "signed_sha256": manifest.objects.signed_pdf.sha256,
        "pages": manifest.pages, "title": manifest.title, "created_at": datetime.fromisoformat(manifest.created_at),
        "text": text, **catalog_dates(form.fields),
    }


def catalog_dates(fields: dict[str, FormField]) -> dict:
    """The dates the catalog answers 'still valid on' with, from an e-form's fields."""
    def value(name: str) -> str | None:
        return fields[name].value if name in fields else None

    return {"issued_on": iso_date(value("date")), "valid_until": iso_date(value("expiry"))}
