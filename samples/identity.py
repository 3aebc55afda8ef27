"""Made-up citizens for specimen id cards and birth certificates. Nobody here exists."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from digitize.fields.citizen_id import sex_century_digit

from . import texts

# Real province codes of the provinces the generator writes, so that generated ids validate.
PROVINCE_CODE = {
    "Hà Giang": "002", "Lào Cai": "010", "Điện Biên": "011", "Sơn La": "014", "Thái Nguyên": "019",
    "Bắc Ninh": "027", "Hải Dương": "030", "Ninh Bình": "037", "Thanh Hóa": "038", "Nghệ An": "040",
    "Hà Tĩnh": "042", "Quảng Bình": "044", "Quảng Trị": "045", "Quảng Ngãi": "051", "Bình Định": "052",
    "Phú Yên": "054", "Kon Tum": "062", "Gia Lai": "064", "Đắk Lắk": "066", "Lâm Đồng": "068",
    "Bình Phước": "070", "Tây Ninh": "072", "Long An": "080", "Bến Tre": "083", "Trà Vinh": "084",
    "Vĩnh Long": "086", "Đồng Tháp": "087", "An Giang": "089", "Kiên Giang": "091", "Sóc Trăng": "094",
    "Bạc Liêu": "095", "Cà Mau": "096",
}
WOMEN_MIDDLE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Bảo"]
MEN_MIDDLE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Xuân", "Thanh"]


@dataclass
class Citizen:
    full_name: str  # as on the card: upper case
    sex: str  # "Nam" or "Nữ"
    birth: date
    birth_province: str
    id12: str
    old_id: str  # 9 digits or ""
    origin: str
    residence: str
    issued: date
    expiry: date | None  # None: "Không thời hạn"
    features: str


def name(rng: random.Random, sex: str) -> str:
    middle = rng.choice(WOMEN_MIDDLE if sex == "Nữ" else MEN_MIDDLE)
    return f"{rng.choice(texts.FAMILY)} {middle} {rng.choice(texts.GIVEN)}"


def birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + age, day=28)


def card_expiry(birth: date, issued: date) -> date | None:
    """Cards run to the 25th, 40th or 60th birthday, whichever comes after a two-year margin."""
    for age in (25, 40, 60):
        if birthday(birth, age) - issued > timedelta(days=2 * 365):
            return birthday(birth, age)
    return None


def citizen(rng: random.Random, *, born_after: int = 1950, born_before: int = 2006,
            issued_from: int = 2021) -> Citizen:
    sex = rng.choice(["Nam", "Nữ"])
    birth = date(rng.randint(born_after, born_before), rng.randint(1, 12), rng.randint(1, 28))
    province = rng.choice(sorted(PROVINCE_CODE))
    id12 = (f"{PROVINCE_CODE[province]}{sex_century_digit(sex, birth.year)}{birth.year % 100:02d}"
            f"{rng.randint(0, 999999):06d}")
    issued = max(birthday(birth, 14), date(issued_from, 1, 1)) + timedelta(days=rng.randint(0, 900))
    origin = ", ".join(texts.address(rng, village=False).split(", ")[:2] + [province])
    return Citizen(full_name=name(rng, sex).upper(), sex=sex, birth=birth, birth_province=province, id12=id12,
                   old_id=f"{rng.randint(0, 999999999):09d}" if rng.random() < 0.5 else "", origin=origin,
                   residence=texts.address(rng), issued=issued, expiry=card_expiry(birth, issued),
                   features=rng.choice(texts.FEATURES))
