"""Field extraction for e-forms: the kind of paper, then its fields, each with value, raw text,
confidence, page, box and source (qr, mrz, ocr, human)."""
from __future__ import annotations

from dataclasses import asdict

from ocr import PageText

from ..codes import KINDS
from .admin import extract_admin
from .birth import extract_birth
from .cccd import extract_cccd
from .classify import classify
from .form import Classification, EForm, FormField
from .gazetteer import fix_place
from .labels import key_values
from .model import Field, fold, line_conf, union

EXTRACTORS = {"admin": extract_admin, "cccd": extract_cccd, "birth": extract_birth}


ADDRESS_LABELS = ("DIA CHI", "NOI CU TRU", "NOI THUONG TRU", "QUE QUAN")  # folded


def extract_other(pages: list[PageText]) -> dict[str, Field]:
    """The 'Label: value' pairs found, named after their labels; addresses put right by the gazetteer."""
    fields: dict[str, Field] = {}
    for page in pages:
        for key, (label, value, rows) in key_values(page).items():
            if any(a in fold(label) for a in ADDRESS_LABELS):
                value = fix_place(value)
            fields.setdefault(key, Field(value, "\n".join(r.text for r in rows), min(line_conf(r) for r in rows),
                                         page.index + 1, "ocr", union([r.box for r in rows])))
    return fields


def extract_fields(pages: list[PageText], kind: str | None = None) -> EForm:
    """The e-form for a document: its kind (the one given, or the classifier's), and its fields."""
    detected, confidence, evidence = classify(pages)
    kind = kind if kind in KINDS else detected
    fields = EXTRACTORS.get(kind, extract_other)(pages)
    return EForm(kind=kind, classification=Classification(kind=detected, confidence=confidence, evidence=evidence),
                 fields={name: FormField(**asdict(f)) for name, f in fields.items()})


__all__ = ["KINDS", "Classification", "EForm", "Field", "FormField", "classify", "extract_fields"]
