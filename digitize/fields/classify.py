"""Which kind of paper a document is, from what is on its pages: machine-readable codes first,
then the titles and labels that each kind prints. Returns the kind, a confidence and the evidence."""
from __future__ import annotations

import re

from ocr import PageText
from ocr.mrz import find_td1

from . import admin
from .cccd import is_card_qr
from .labels import has_label
from .model import fold

MOTTO = fold(admin.MOTTO)
_ADMIN_NUMBER = re.compile(r"\bSO\s*\d+\s*[A-Z0-9]*\s+[A-Z]{1,4}\b")
CARD_LABELS = ["Họ và tên / Full name", "Date of birth", "Quốc tịch / Nationality", "Place of residence",
               "CĂN CƯỚC", "Citizen Identity Card", "IDENTITY CARD"]
BIRTH_LABELS = ["GIẤY KHAI SINH", "Nơi đăng ký khai sinh", "người mẹ", "người cha", "Quyển số", "Dân tộc"]
# A card's machine-readable zone read too poorly for its check digits: its country or its fillers.
_ZONE = re.compile(r"[I1l]D\s?VNM|<{6,}")
ADMIN_TYPES = ["NGHI QUYET", "QUYET DINH", "CHI THI", "THONG BAO", "KE HOACH", "BAO CAO", "TO TRINH",
               "HUONG DAN", "CHUONG TRINH", "CONG VAN", "V V", "NOI NHAN", "BIEN BAN", "GIAY MOI"]


def classify(pages: list[PageText]) -> tuple[str, float, list[str]]:
    """(kind, confidence 0..1, evidence) for "cccd", "birth", "admin" or "other"."""
    if not pages:
        return "other", 0.0, []
    codes = [c for p in pages for c in p.codes]
    if any(c.kind == "qr" and is_card_qr(c.text) for c in codes):
        return "cccd", 0.99, ["qr: citizen id payload"]
    if any(c.kind == "mrz" and find_td1(c.text.splitlines()) for c in codes):
        return "cccd", 0.97, ["mrz: IDVNM"]
    text = pages[0].text
    folded = fold(text)
    scores = {
        "cccd": _hits(text, CARD_LABELS) + (2 if _ZONE.search(text) else 0),
        "birth": _hits(text, BIRTH_LABELS) + (2 if "GIAY KHAI SINH" in folded else 0),
        "admin": (_admin_number(folded) * 2 + sum(t in folded for t in ADMIN_TYPES[:10]) + ("NOI NHAN" in
                  fold(pages[-1].text))) if MOTTO in folded or _admin_number(folded) else 0,
    }
    kind, best = max(scores.items(), key=lambda kv: kv[1])
    if best < 3:
        return "other", round(0.6 + 0.1 * (3 - best), 2), [f"{k}: {v}" for k, v in scores.items()]
    runner_up = sorted(scores.values())[-2]
    confidence = min(0.97, 0.6 + 0.08 * (best - runner_up))
    return kind, round(confidence, 2), [f"{k}: {v}" for k, v in scores.items()]


def _hits(text: str, labels: list[str]) -> int:
    lines = text.splitlines()
    return sum(any(has_label(ln, fold(label)) for ln in lines) for label in labels)


def _admin_number(folded: str) -> bool:
    return bool(re.search(r"\bSO \d+ (?:[A-Z]{1,4} )?(?:[A-Z]{2,5})\b", folded))
