"""ICAO 9303 TD1 machine-readable zone (3 lines of 30), as on the back of CCCD cards.

Check digits (weights 7, 3, 1) tell a misread character; in fields that can only hold digits the
usual OCR confusions (O for 0, I for 1, …) are undone before checking.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "<": 0}
_AS_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2",
                           "S": "5", "G": "6", "B": "8"})
_AS_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"})
TD1_LINE = 30


def check_digit(text: str) -> str:
    return str(sum(_VALUES.get(c, 0) * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def mrz_name(full_name: str) -> str:
    """'NGUYỄN VĂN AN' -> 'NGUYEN<<VAN<AN': no diacritics, family name first, filler '<'."""
    plain = "".join(c for c in unicodedata.normalize("NFD", full_name.upper().replace("Đ", "D"))
                    if not unicodedata.combining(c))
    family, *given = plain.split()
    return f"{family}<<{'<'.join(given)}"


def make_td1(id12: str, birth: date, sex: str, expiry: date | None, full_name: str) -> list[str]:
    """The three lines a card with this id, birth date, sex ('Nam'/'Nữ'), expiry and name carries."""
    number = id12[3:]
    line1 = f"IDVNM{number}{check_digit(number)}{id12}".ljust(TD1_LINE, "<")
    born = birth.strftime("%y%m%d")
    ends = expiry.strftime("%y%m%d") if expiry else "<<<<<<"
    line2 = f"{born}{check_digit(born)}{'M' if sex == 'Nam' else 'F'}{ends}{check_digit(ends)}VNM".ljust(29, "<")
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return [line1, line2, mrz_name(full_name).ljust(TD1_LINE, "<")[:TD1_LINE]]


@dataclass
class Td1:
    document_number: str
    id12: str | None
    birth: str  # YYMMDD
    sex: str  # "Nam" / "Nữ" / ""
    expiry: str  # YYMMDD or "" (no expiry)
    nationality: str
    name: str  # 'NGUYEN VAN AN'
    checks: dict[str, bool]

    @property
    def valid(self) -> bool:
        return all(self.checks.values())


def find_td1(text_lines: list[str]) -> list[str] | None:
    """Three consecutive lines that look like a TD1 zone, cleaned to its alphabet, or None."""
    at = td1_start(text_lines)
    return None if at is None else [_clean(t) for t in text_lines[at:at + 3]]


def _zone_head(head: str) -> bool:
    """Whether a line starts as a Vietnamese card's zone does, "IDVNM", give or take one misread
    letter ("1DVNM", "IDWNM")."""
    head = "I" + head[1:] if head[:1] in ("1", "l", "|") else head
    return len(head) == 5 and sum(x != y for x, y in zip(head, "IDVNM")) <= 1


def td1_start(text_lines: list[str]) -> int | None:
    """Index of the first of three consecutive lines that look like a TD1 zone, or None."""
    cleaned = [_clean(t) for t in text_lines]
    for i in range(len(cleaned) - 2):
        a, b = cleaned[i:i + 2]
        if _zone_head(a[:5]) and 24 <= len(a) <= 36 and 24 <= len(b) <= 36:
            return i
    return None


def _normalized(lines: list[str]) -> tuple[str, str, str]:
    """The three lines at 30 characters, digits where only digits can be, letters in the name."""
    a, b, c = (_fit(ln) for ln in lines)
    # Fields that hold only digits get their look-alike letters back as digits, checks included.
    a = a[:5] + a[5:15].translate(_AS_DIGIT) + a[15:]
    b = b[:7].translate(_AS_DIGIT) + b[7] + b[8:15].translate(_AS_DIGIT) + b[15:29] + b[29].translate(_AS_DIGIT)
    # A Vietnamese syllable never ends in K, and K opens one only before a vowel or as KH: any
    # other K in the name line is the filler '<' misread.
    c = re.sub(r"(?<=[A-Z])K(?=<|$)", "<", c.translate(_AS_LETTER))
    c = re.sub(r"K(?=[BCDFGJKLMNPQRSTVWXZ<])", "<", c)
    while (noise := re.search(r"<{3,}[A-Z]{1,2}(?=<|$)", c)):  # a letter or two read in the filler
        c = c[:noise.start()] + "<" * len(noise.group()) + c[noise.end():]
    return a, b, c


def parse_td1(lines: list[str]) -> Td1:
    a, b, c = _normalized(lines)
    number, optional = a[5:14], a[15:30]
    id_digits = optional[:12].translate(_AS_DIGIT)
    born, ends = b[0:6], b[8:14]
    ends = "" if set(ends) <= {"<"} else ends
    nationality = b[15:18].translate(_AS_LETTER)
    # A check digit passes by chance one time in ten: a field counts only in its own shape too.
    checks = {
        "document_number": number.isdigit() and check_digit(number) == a[14],
        "birth": born.isdigit() and check_digit(born) == b[6],
        "expiry": (ends == "" or ends.isdigit()) and check_digit(ends or "<<<<<<") == b[14],
        "composite": b[7] in "MF<" and nationality == "VNM"
        and check_digit(a[5:30] + b[0:7] + b[8:15] + b[18:29]) == b[29],
    }
    id12 = id_digits if id_digits.isdigit() and id_digits.endswith(number) else None
    checks["id_matches_number"] = id12 is not None
    sex = {"M": "Nam", "F": "Nữ"}.get(b[7], "")
    family, _, given = c.partition("<<")
    given = given.split("<<")[0]  # the filler after the name; OCR noise in it is no name
    # A filler read once where two part the family name from the rest ("HO<THU<THAO<<<") leaves the
    # whole name as the family's: every single filler is a space.
    name = " ".join(p for p in [*family.split("<"), *given.split("<")] if p)
    return Td1(number, id12, born, sex, ends, nationality, name, checks)


def checked_zone(own: list[str], reread: list[str]) -> list[str] | None:
    """The zone's three lines as printed, when check digits vouch for them: the first two from the
    reading whose checks all pass (`reread`, the zone read again with the MRZ alphabet, the page's
    own three lines, or the two mixed), the name line from the reading that kept more filler."""
    own = [_clean(t) for t in own]
    if len(own) != 3:
        return None
    firsts, seconds = [own[0]], [own[1]]
    if len(reread) == 3:
        firsts, seconds = [reread[0], own[0]], [reread[1], _merged(reread[1], own[1]), own[1]]
    names = [_normalized(reread if len(reread) == 3 else own)[2], _normalized(own)[2]]
    name = max(names[::-1], key=lambda n: n.count("<"))  # the one with less filler misread; a tie: own
    for lines in ([first, second, own[2]] for first in firsts for second in seconds):
        if parse_td1(lines).valid:
            a, b, _ = _normalized(lines)
            return [a, b, name]
    return None


def _merged(reread: str, own: str) -> str:
    """A second line: `reread` with the digits of `own` where it has filler instead (the reading
    with the MRZ alphabet took the composite check digit for a '<'). The check digits judge it."""
    a, b = _fit(reread), _fit(own)
    return "".join(y if x in "<K" and y.isdigit() else x for x, y in zip(a, b))


# OCR-B's 6 and 5 as Vietnamese recognition reads them, on a page read as Vietnamese.
_VIETNAMESE_SLIPS = str.maketrans({"ó": "6", "ò": "6", "é": "6", "ö": "6", "§": "5"})


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_VIETNAMESE_SLIPS).upper().replace(" ", "")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))  # Ị -> I
    text = re.sub(r"[«‹(\[{]", "<", text)
    return re.sub(r"[^A-Z0-9<]", "", text)


def _fit(line: str) -> str:
    """A line brought to 30 characters: filler read as 'K' restored, extra or missing filler evened out
    in its longest run (recognition adds or drops a '<' in long runs)."""
    line = re.sub(r"(?<=<)K+(?=<|$)", lambda m: "<" * len(m.group()), line)
    runs = sorted(re.finditer(r"<{2,}", line), key=lambda m: len(m.group()), reverse=True)
    if len(line) != TD1_LINE and runs:
        run = runs[0]
        size = max(1, len(run.group()) + TD1_LINE - len(line))
        line = line[:run.start()] + "<" * size + line[run.end():]
    return line.ljust(TD1_LINE, "<")[:TD1_LINE]
