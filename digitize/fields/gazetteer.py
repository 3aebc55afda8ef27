"""Province names and administrative-unit words: closed lists that a place or an agency read by
OCR can be checked against ("Lào Cũi" is no province; "Lào Cai" is one letter away)."""
from __future__ import annotations

import edlib

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
    """The province `text` names, if it is one letter from exactly one of them; else `text`."""
    if text in PROVINCES:
        return text
    key = fold(text)
    close = [p for p in PROVINCES if edlib.align(fold(p), key, task="distance", k=1)["editDistance"] != -1]
    return close[0] if len(close) == 1 else text


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
