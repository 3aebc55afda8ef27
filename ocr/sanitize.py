"""Active content stays out of the copy we sign.

A born-digital page is copied as it is (its vector text kept), but not what could act on the
reader: scripts, launch and submit actions, links to other files or sites, embedded files and
media, and form fields (the signature boxes of an input that was already signed among them).
Only the pages are copied, so document-level scripts, open actions, forms and attachments of the
source never arrive. What was left out is listed, for the document's manifest.
"""
from __future__ import annotations

import io

import pikepdf

# Annotations that carry files, media or form fields: never kept.
DROPPED_ANNOTATIONS = {"/Widget", "/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
SAFE_ACTIONS = {"/GoTo"}  # a jump within the document


def strip_active_content(page: pikepdf.Page) -> list[str]:
    """Remove the page's actions and active annotations; returns what was removed, in words."""
    removed = []
    if "/AA" in page.obj:
        del page.obj["/AA"]
        removed.append(f"page {_number(page)}: page actions")
    annotations = page.obj.get("/Annots")
    if annotations is None:
        return removed
    kept = []
    for annotation in annotations:
        subtype = str(annotation.get("/Subtype", "/Unknown"))
        action = annotation.get("/A")
        action_type = str(action.get("/S", "/Unknown")) if isinstance(action, pikepdf.Dictionary) else None
        if subtype in DROPPED_ANNOTATIONS:
            removed.append(f"page {_number(page)}: {subtype[1:]} annotation")
        elif "/AA" in annotation or (action is not None and action_type not in SAFE_ACTIONS):
            removed.append(f"page {_number(page)}: {subtype[1:]} with a {(action_type or '/AA')[1:]} action")
        else:
            kept.append(annotation)
    if kept:
        page.obj.Annots = pikepdf.Array(kept)
    else:
        del page.obj["/Annots"]
    return removed


def active_content(source_pdf: bytes, page_indices: list[int]) -> list[str]:
    """What `strip_active_content` takes out of these pages of the source (read, not changed)."""
    with pikepdf.open(io.BytesIO(source_pdf)) as pdf:
        return [item for i in page_indices for item in strip_active_content(pdf.pages[i])]


def _number(page: pikepdf.Page) -> int:
    try:
        return page.index + 1
    except (ValueError, AttributeError):
        return 0
