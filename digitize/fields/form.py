"""The e-form: a document's kind and fields, as stored (fields.json, fields.v<N>.json) and served.

Extraction (digitize/fields) makes version 1; digitize/eform.py alone writes the later versions.
Serialised with only the keys that were set, so stored versions read back exactly as written.
"""
from __future__ import annotations

from pydantic import BaseModel, Field


class FormField(BaseModel):
    value: str
    raw: str = ""
    confidence: float = 0.0
    page: int = 1
    source: str = "ocr"  # qr, mrz, ocr or human
    box: list[int] | None = None  # [left, top, width, height] in the page image's pixels
    agrees: list[str] = Field(default_factory=list)  # other sources that read the same value
    disagrees: dict[str, str] = Field(default_factory=dict)  # other sources' different readings
    verified: bool = False  # corrected or confirmed by a person
    verified_by: str | None = None
    verified_at: str | None = None
    machine_value: str | None = None  # what extraction read, once a person changed it


class Classification(BaseModel):
    kind: str
    confidence: float
    evidence: list[str] = Field(default_factory=list)


class FieldChange(BaseModel):
    field: str
    old: str | None
    new: str
    by: str
    at: str
    confirmed: bool = False  # confirmed as read, not changed


class SignOff(BaseModel):
    by: str
    at: str


class EForm(BaseModel):
    kind: str
    classification: Classification | None = None
    fields: dict[str, FormField] = Field(default_factory=dict)
    version: int = 1
    versions: list[int] = Field(default_factory=list)  # every version of the document's e-form, when loaded
    based_on: int | None = None
    saved_by: str | None = None
    saved_at: str | None = None
    corrections: list[FieldChange] = Field(default_factory=list)
    signed_off: SignOff | None = None

    def to_json(self) -> dict:
        return self.model_dump(mode="json", exclude_unset=True)

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None
