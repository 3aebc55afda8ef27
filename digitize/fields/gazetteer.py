"""Province, district and commune names and administrative-unit words: closed lists that a place
or an agency read by OCR can be checked against ("Lào Cũi" is no province; "Lào Cai" is one letter
away; "Huyện Cấm Xuyên" is no district, "Huyện Cẩm Xuyên" has the same letters).

Districts and communes are those before the 2025 mergers (package vietnam-provinces 0.6.0, from
the General Statistics Office's list), which is what cards and certificates issued before then
print. Each part of an address is checked on its own: a district is put right by its letters even
when the province read with it is not its province.
"""
from __future__ import annotations

import json
import re
from functools import cache

import edlib
import vietnam_provinces

from .marks import by_letters, snap
from .model import fold

PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Huế", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
UNIT_WORDS = ["TỈNH", "HUYỆN", "XÃ", "PHƯỜNG", "QUẬN", "THỊ", "TRẤN", "THÀNH", "PHỐ", "ỦY", "BAN", "NHÂN", "DÂN",
              "HỘI", "ĐỒNG", "SỞ", "PHÒNG", "VĂN"]


def fix_province(text: str) -> str:
    """The province `text` names, if it has the letters of exactly one of them or else is one letter
    from exactly one; else `text`."""
    if text in PROVINCES:
        return text
    return _the_one(text, PROVINCES) or text


def _the_one(text: str, known: list[str], min_letters: int = 0) -> str | None:
    """The known name with `text`'s letters if exactly one has them (only the marks differ: "Thành
    Hóa"); else the one known name a letter away, if exactly one is and `text` has `min_letters`."""
    key = fold(text)
    same = [k for k in known if fold(k) == key]
    close = same or [k for k in known if len(key) >= min_letters
                     and edlib.align(fold(k), key, task="distance", k=1)["editDistance"] != -1]
    return close[0] if len(close) == 1 else None


# What a village-level unit is called: the first words of an address ("Tổ 5", "Khu phố 2").
HAMLET_UNITS = ["Thôn", "Xóm", "Ấp", "Bản", "Buôn", "Làng", "Sóc", "Plei", "Tổ", "Tổ dân phố", "Khu phố", "Khu",
                "Khối", "Đội"]
FACILITIES = ["Trạm Y tế", "Bệnh viện", "Nhà hộ sinh", "Phòng khám"]  # where a birth certificate's child was born


def fix_place(text: str) -> str:
    """An address ("Tố 5, Xã …, Huyện Cấm Xuyên, Bắc Minh") with its hamlet's unit word, its
    districts and communes given their marks back and its province, the last part, put right."""
    parts = _parts(text)
    if len(parts) < 2:
        return text
    known = _units()
    parts[0] = _fix_hamlet(parts[0])
    return ", ".join([snap(p, known) for p in parts[:-1]] + [fix_province(parts[-1])])


def _parts(address: str) -> list[str]:
    """An address's parts: worn copies lose the space after a comma, or read the comma as ';', and
    the space between two words of a name ("Bản NàLơi", "Huyện KỳAnh")."""
    return [_capitals_apart(part) for part in re.split(r"\s*[,;]\s*", address)]


def _capitals_apart(text: str) -> str:
    """A space put back before a capital that follows a small letter: no Vietnamese word has one."""
    return "".join(" " + c if i and c.isupper() and text[i - 1].islower() else c for i, c in enumerate(text))


def fix_authority(text: str) -> str:
    """A registering authority ("Ủy ban nhân dân Xã …, Huyện …, Tỉnh …") with its parts apart and
    the province after its unit word put right."""
    parts = _parts(text)
    if m := re.match(r"(Tỉnh|Thành phố)\s+(.+)$", parts[-1]):
        parts[-1] = f"{m.group(1)} {fix_province(m.group(2))}"
    return ", ".join(parts)


UNKNOWN_PLACE = 0.6  # the confidence, at most, of an address naming a unit the gazetteer does not know


def place_known(text: str) -> bool:
    """Whether the districts and communes of an address (every part but the first, which is the
    hamlet, street or facility) and its province are in the gazetteer, as written."""
    parts = text.split(", ")
    if len(parts) < 2 or parts[-1] not in PROVINCES:
        return False
    names = {name for group in _units().values() for name in group}
    return all(part in names for part in parts[1:-1])


def is_province(text: str) -> bool:
    """Whether `text` names a province, give or take a misread letter."""
    return fix_province(text) in PROVINCES


def _fix_hamlet(part: str) -> str:
    """The unit word (or birth facility) at the start of `part` with the marks, or the one letter,
    OCR got wrong ("Trạm Ý tế")."""
    words = part.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        head = " ".join(words[:n])
        if head in HAMLET_UNITS + FACILITIES:
            return part
        if unit := _the_one(head, HAMLET_UNITS + FACILITIES, min_letters=4):
            return " ".join([unit, *words[n:]])
    return part


@cache
def _units() -> dict[str, list[str]]:
    """District and commune names with their unit word ("Huyện Cẩm Xuyên", "Xã Đồng Tâm"), by letters."""
    divisions = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    names = [unit["name"] for province in divisions for district in province["districts"]
             for unit in [district, *district["wards"]]]
    return by_letters(names)


def fix_agency(text: str) -> str:
    """Upper-case agency name: unit words given their marks back ("TÍNH" -> "TỈNH"), and a province
    at the end put right."""
    words = [next((u for u in UNIT_WORDS if fold(u) == fold(w) and u != w), w) for w in text.split()]
    for n in (3, 2, 1):  # the province is the last one to three words
        if len(words) > n:
            tail = " ".join(words[-n:])
            fixed = fix_province(tail.title())
            if fixed != tail.title() and fixed in PROVINCES:
                return " ".join(words[:-n] + [fixed.upper()])
            if tail.title() in PROVINCES:
                break
    return " ".join(words)
