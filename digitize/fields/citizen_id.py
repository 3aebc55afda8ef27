"""The 12-digit personal id number (số định danh cá nhân) printed on CCCD cards.

Structure (Decree 137/2015, Circular 07/2016/TT-BCA): 3 digits for the province where the birth
was registered, 1 digit for sex and century, 2 digits for the year of birth, 6 digits of serial.
"""
from __future__ import annotations

import re

# The 63 province codes in use before the 2025 mergers; cards keep the code they were issued with.
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 "
    "038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 "
    "080 082 083 084 086 087 089 091 092 093 094 095 096".split())

_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}
_ID = re.compile(r"^\d{12}$")


def century(digit: int) -> int:
    """The century of birth the id's 4th digit gives."""
    return _CENTURY[digit]


def sex_century_digit(sex: str, birth_year: int) -> int:
    """The 4th digit: even for men, odd for women, by the century of birth."""
    base = {1900: 0, 2000: 2, 2100: 4, 2200: 6, 1800: 8}[birth_year // 100 * 100]
    return base + (0 if sex == "Nam" else 1)


def year_of_birth(id12: str) -> int:
    """The year of birth the id's 4th to 6th digits give."""
    return _CENTURY[int(id12[3])] + int(id12[4:6])


def sex(id12: str) -> str:
    """The sex the id's 4th digit gives: even for men, odd for women."""
    return "Nữ" if int(id12[3]) % 2 else "Nam"


def problems(id12: str, *, sex: str | None = None, birth_year: int | None = None) -> list[str]:
    """What is wrong with an id given what else the card says; empty when it is consistent."""
    if not _ID.match(id12 or ""):
        return ["not_12_digits"]
    found = []
    if id12[:3] not in PROVINCE_CODES:
        found.append("unknown_province_code")
    digit = int(id12[3])
    if birth_year is not None:
        if year_of_birth(id12) != birth_year:
            found.append("birth_year_mismatch")
    if sex is not None and (digit % 2 == 1) != (sex == "Nữ"):
        found.append("sex_mismatch")
    return found
