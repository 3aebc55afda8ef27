"""Page tools: split, merge, move, reorder, rotate, delete and rescan pages of stored documents.

Each makes a new version of the document under the same code, so that references from other
dossiers and the portal still resolve: a new signed PDF (pages copied from the stored versions, the
old signature's field and stamp left behind), its OCR, the e-form read again with what a person
verified kept, a manifest saying what changed and who changed it, and an audit line. Earlier
versions stay in the warehouse under object lock; nothing signed is changed or lost. A version is
made from the version the clerk was looking at (`based_on`): of two edits at once, one wins and
the other is told to reload (409).
"""
from __future__ import annotations

from dataclasses import dataclass

import ocr
from common.errors import AppError

from . import archive, eform, pipeline
from .audit import Actor, record
from .errors import ConflictError, NotFoundError, TooLargeError, UserError
from .fields import EForm, extract_fields
from .services import Services


@dataclass
class PageSource:
    """A page of a new version: page `page` (1-based) of a stored document's version, or a rescan."""

    code: str | None
    version: int | None
    page: int
    turns: int = 0  # clockwise quarter turns added
    rescan: ocr.PageResult | None = None


@dataclass
class _Page:
    pdf: bytes
    index: int
    turns: int
    text: dict  # PageText.to_json() of the page
    source: str


def pages_of(services: Services, code: str, *, based_on: int | None = None) -> list[PageSource]:
    """The pages of the document as it is now (checked against the version the clerk saw)."""
    manifest = _manifest(services, code, based_on)
    return [PageSource(code, manifest.version, p) for p in range(1, manifest.pages + 1)]


def edit(services: Services, code: str, *, based_on: int, by: Actor, order: list[int] | None = None,
         rotate: dict[int, int] | None = None, rescans: dict[int, bytes] | None = None) -> pipeline.Outcome:
    """Reorder (`order`: the pages kept, in their new order; those left out are deleted), rotate
    (`rotate`: page → clockwise quarter turns) and rescan (`rescans`: page → a one-page file) in one
    new version."""
    current = pages_of(services, code, based_on=based_on)
    order = order if order is not None else list(range(1, len(current) + 1))
    _check_pages(order, len(current))
    if len(set(order)) != len(order):
        raise UserError("repeated_page", "Một trang được chọn hai lần.", "A page is listed twice.")
    rotate, rescans = rotate or {}, rescans or {}
    _check_pages(list(rotate) + list(rescans), len(current))
    pages = []
    for n in order:
        src = current[n - 1]
        pages.append(PageSource(src.code, src.version, src.page, turns=rotate.get(n, 0) % 4,
                                rescan=_read_rescan(services, rescans[n]) if n in rescans else None))
    changes = ([f"thứ tự trang {order}"] if order != sorted(order) else []) + \
        ([f"bỏ trang {sorted(set(range(1, len(current) + 1)) - set(order))}"] if len(order) < len(current) else []) + \
        ([f"xoay trang {sorted(rotate)}"] if rotate else []) + ([f"quét lại trang {sorted(rescans)}"] if rescans else [])
    if not changes:
        raise UserError("nothing_to_change", "Không có thay đổi nào.", "Nothing to change.")
    return make_version(services, code, pages, by=by, change="; ".join(changes))


def split(services: Services, code: str, at: int, *, based_on: int, by: Actor) -> tuple[pipeline.Outcome,
                                                                                         pipeline.Outcome]:
    """Pages `at`… become a new document (a new code); the document keeps the pages before `at`."""
    current = pages_of(services, code, based_on=based_on)
    if not 2 <= at <= len(current):
        raise UserError("bad_split_page", f"Chỉ tách được từ trang 2 đến trang {len(current)}.",
                        f"A document of {len(current)} pages splits at page 2 to {len(current)}.")
    new = new_document(services, code, current[at - 1:], by=by)
    kept = make_version(services, code, current[: at - 1], by=by,
                        change=f"tách trang {at}–{len(current)} thành {new.code}")
    return kept, new


def move(services: Services, code: str, pages: list[int], to: str, *, based_on: int, by: Actor,
         to_based_on: int | None = None) -> tuple[pipeline.Outcome, pipeline.Outcome]:
    """Pages of one document moved to the end of another; both get a new version."""
    current = pages_of(services, code, based_on=based_on)
    _check_pages(pages, len(current))
    if to == code:
        raise UserError("same_document", "Chọn một giấy tờ khác để chuyển trang tới.", "Move pages to another document.")
    if len(set(pages)) >= len(current):
        raise UserError("no_pages_left", "Không thể chuyển hết các trang: hãy gộp hai giấy tờ.",
                        "Moving every page would leave nothing: merge the documents instead.")
    target = pages_of(services, to, based_on=to_based_on)
    moved = [current[n - 1] for n in pages]
    grown = make_version(services, to, target + moved, by=by, change=f"thêm trang {pages} từ {code}")
    shrunk = make_version(services, code, [p for n, p in enumerate(current, 1) if n not in pages], by=by,
                          change=f"chuyển trang {pages} sang {to}")
    return shrunk, grown


def merge(services: Services, code: str, other: str, *, based_on: int, by: Actor) -> pipeline.Outcome:
    """The other document's pages appended to this one; the other is marked as merged into it (it
    stays readable under its code, with its versions)."""
    if other == code:
        raise UserError("same_document", "Chọn một giấy tờ khác để gộp.", "Merge with another document.")
    current = pages_of(services, code, based_on=based_on)
    theirs = archive.load_manifest(services.store, other)
    merged = make_version(services, code, current + pages_of(services, other), by=by, change=f"gộp {other} vào")
    note = theirs.model_copy(update={"version": theirs.version + 1, "merged_into": code,
                                     "change": f"gộp vào {code}", "changed_by": by.name})
    _write_manifest(services, note)
    record(services, by, "merged_into", code=other, owner_id=theirs.owner_id, detail=f"into {code}")
    return merged


def make_version(services: Services, code: str, pages: list[PageSource], *, by: Actor, change: str) -> pipeline.Outcome:
    """The next version of `code` holding `pages`."""
    if not pages:
        raise UserError("no_pages_left", "Giấy tờ phải còn ít nhất một trang.", "A document keeps one page at least.")
    manifest = archive.load_manifest(services.store, code)
    collected = _collect(services, pages)
    texts = [ocr.page_text({**p.text, "page": k + 1}) for k, p in enumerate(collected)]
    fresh = extract_fields(texts, manifest.kind)
    fields_ref = eform.extracted_again(services, code, fresh, who=by.name, note=f"phiên bản {manifest.version + 1}")
    form = EForm.model_validate_json(services.store.get(fields_ref.key, sha256=fields_ref.sha256))
    signed = _signed(services, collected, manifest.title, manifest.kind, code)
    new = _new(manifest, code, texts, form, signed)
    try:  # create-once: of two versions made at once from the same one, one is written
        stored = archive.store_document(services.store, new, services.settings.retention_for(manifest.kind),
                                        version=manifest.version + 1, fields_ref=fields_ref, change=change,
                                        changed_by=by.name, page_sources=[p.source for p in collected])
    except AppError as exc:
        if exc.code == "object_locked":
            raise _changed_meanwhile(manifest.version + 1) from None
        raise
    services.catalog.update_document(archive.catalog_row(stored, archive.catalog_text(texts), form))
    record(services, by, "new_version", code=code, owner_id=manifest.owner_id,
           detail=f"version {stored.version}: {change}"[:120])
    return pipeline.Outcome(code=code, pdf=signed, manifest=stored, form=form, page_texts=texts)


def new_document(services: Services, from_code: str, pages: list[PageSource], *, by: Actor) -> pipeline.Outcome:
    """A new document (a new code) from pages of a stored one: the same owner, original and dossier."""
    source = archive.load_manifest(services.store, from_code)
    collected = _collect(services, pages)
    texts = [ocr.page_text({**p.text, "page": k + 1}) for k, p in enumerate(collected)]
    form = extract_fields(texts)
    code, scope, sequence = pipeline.allocate_code(services, form.kind)
    title = pipeline.title_of(form, source.original.filename, texts)
    signed = _signed(services, collected, title, form.kind, code)
    new = _new(source, code, texts, form, signed, title=title, kind=form.kind)
    new.code_scope, new.code_sequence, new.split_reason = scope, sequence, "split_by_clerk"
    stored = archive.store_document(services.store, new, services.settings.retention_for(form.kind),
                                    change=f"tách từ {from_code}", changed_by=by.name,
                                    page_sources=[p.source for p in collected])
    services.catalog.add_document(archive.catalog_row(stored, archive.catalog_text(texts), form))
    record(services, by, "digitized", code=code, owner_id=source.owner_id, detail=f"split from {from_code}")
    record(services, by, "signed", code=code, owner_id=source.owner_id, detail=f"sha256 {stored.objects.signed_pdf.sha256[:16]}")
    return pipeline.Outcome(code=code, pdf=signed, manifest=stored, form=form, page_texts=texts)


def _new(manifest: archive.Manifest, code: str, texts: list[ocr.PageText], form: EForm, signed: bytes, *,
         title: str | None = None, kind: str | None = None) -> archive.NewDocument:
    return archive.NewDocument(
        code=code, kind=kind or manifest.kind, title=title or manifest.title or code,
        code_scope=manifest.code_scope or "", code_sequence=manifest.code_sequence or 0,
        owner_id=manifest.owner_id, dossier_code=manifest.dossier_code, agency=manifest.agency,
        original_sha256=manifest.original.sha256, original_size=manifest.original.size,
        original_filename=manifest.original.filename, original_type=manifest.original.type,
        signed_pdf=signed, pages=texts, form=form, seconds={}, source_pages=manifest.original.pages)


def _signed(services: Services, pages: list[_Page], title: str | None, kind: str, code: str) -> bytes:
    info = ocr.PdfInfo(title=title or code, author=services.settings.agency_name, subject=kind, document_code=code)
    return pipeline.sign(services, ocr.assemble_pdf([(p.pdf, p.index, p.turns) for p in pages], info), code)


def _collect(services: Services, pages: list[PageSource]) -> list[_Page]:
    """Each page's PDF and OCR, read (and checked against their manifests) once per version."""
    loaded: dict[tuple[str, int], tuple[bytes, list[dict]]] = {}
    out = []
    for src in pages:
        if src.rescan is not None:
            pdf = ocr.build_pdf([src.rescan.pdf_page()], ocr.PdfInfo(title="rescan"))
            out.append(_Page(pdf, 0, src.turns, src.rescan.text.to_json(), "rescan"))
            continue
        key = (src.code, src.version)
        if key not in loaded:
            manifest = archive.load_manifest(services.store, src.code, src.version)
            loaded[key] = (archive.version_pdf(services.store, manifest), archive.version_ocr(services.store, manifest))
        pdf, texts = loaded[key]
        out.append(_Page(pdf, src.page - 1, src.turns, texts[src.page - 1], f"{src.code} v{src.version} p{src.page}"))
    return out


def _read_rescan(services: Services, data: bytes) -> ocr.PageResult:
    """A rescan of one page: checked and decoded under limits like any upload, then read."""
    limit = services.settings.max_file_bytes
    if len(data) > limit:
        raise TooLargeError("file_too_large", f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB).",
                            f"The file is too large (at most {limit} bytes).")
    pages = pipeline.read_pages(data, services.settings)
    if len(pages) != 1:
        raise UserError("rescan_one_page", "Bản quét lại phải có đúng một trang.", "A rescan must have one page.")
    return ocr.ocr_page(pages[0], services.engine, jpeg_quality=services.settings.jpeg_quality)


def _manifest(services: Services, code: str, based_on: int | None) -> archive.Manifest:
    try:
        manifest = archive.load_manifest(services.store, code)
    except AppError as exc:
        if exc.status == 404:
            raise NotFoundError("document_not_found", f"Không có giấy tờ {code}.", f"No document {code}.") from None
        raise
    if based_on is not None and based_on != manifest.version:
        raise _changed_meanwhile(manifest.version)
    if manifest.merged_into:
        raise ConflictError("merged_document", f"Giấy tờ đã được gộp vào {manifest.merged_into}.",
                            f"The document was merged into {manifest.merged_into}.")
    return manifest


def _write_manifest(services: Services, manifest: archive.Manifest) -> None:
    try:
        archive.write_manifest(services.store, manifest, services.settings.retention_for(manifest.kind))
    except AppError as exc:
        if exc.code == "object_locked":
            raise _changed_meanwhile(manifest.version) from None
        raise


def _changed_meanwhile(version: int) -> ConflictError:
    return ConflictError("version_conflict", f"Giấy tờ vừa được sửa (phiên bản {version}); hãy tải lại.",
                         f"The document changed meanwhile (version {version}); reload it.")


def _check_pages(pages: list[int], count: int) -> None:
    bad = [p for p in pages if not isinstance(p, int) or not 1 <= p <= count]
    if bad:
        raise UserError("bad_page", f"Trang không có trong giấy tờ: {bad[:5]} (giấy tờ có {count} trang).",
                        f"No such page {bad[:5]}: the document has {count} pages.")
