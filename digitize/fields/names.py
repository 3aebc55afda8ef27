"""Closed lists that OCR slips can be snapped back to: Vietnamese family names and common name
syllables, and the 54 ethnic groups (Decision 121-TCTK/PPCĐ, 1979).

Bold capitals lose or gain tone marks (QUÂN read QUẦN, NGUYỄN read NGUYÊN); a name word that is
no known name but has the letters of one is given that one's marks. Words matching nothing stay.
A rare name missing from the lists could be "corrected" wrongly, so callers lower the confidence of
a name they changed: staff see it and check.
"""
from __future__ import annotations

import re
import unicodedata

from .marks import by_letters, nearest, snap
from .model import fold

FAMILY_NAMES = """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trịnh
Trương Lâm Mai Lương Tạ Cao Tô Hà Lưu Quách Châu Thái Phùng Vương Kiều Triệu Đào Văn Tăng Lại Từ La
Mạc Chu Diệp Âu Khúc Ông Tôn Thân Hứa Giang Nghiêm Quan Kim Bạch Lục Đàm Phí Thạch Khổng Vi Ninh Lò
Sầm Lã Trình Cù Mẫn Hầu Lò Nông Ma Hoa Doãn Khương Bế Nghiêm""".split()

NAME_SYLLABLES = """Văn Thị Đức Minh Ngọc Thanh Quốc Thu Hữu Kim Xuân Bảo Hoàng Gia Thành Công Đình Quang
Anh Tuấn Hồng Thúy Thùy Phương Mỹ Bích Diệu Khánh Hải Tiến Trọng Mạnh Duy Tấn Trung Nhật Như Hoài
Vân Phúc An Bình Cường Dũng Giang Hà Hạnh Hùng Hương Lan Long Mai Nam Nga Quân Sơn Tâm Thảo Yến Lợi
Đạt Huy Hiếu Hiền Hoa Hòa Hậu Hằng Hân Khoa Khôi Kiên Linh Loan Lộc Luân Ly My Nhung Nhi Ngân
Nguyên Oanh Phát Phong Phụng Quyên Quỳnh Sang Tài Thắng Thịnh Thơ Thư Tín Toàn Trang Trí Trinh Tú
Tùng Uyên Vinh Việt Vy Xuyến Ý Châu Chi Cúc Dung Duyên Điệp Đông Hạ Hưng Khang Lâm Lực Nghĩa Nhân
Ninh Quế Sương Tân Thái Thạch Thiện Thông Thuận Tiên Trâm Triều Tường Vũ Vương Yên Huệ Hoàn Kha Lệ
Liên Luyến Mến Phượng Quyết Sinh Thủy Tuyết Tuyền Vĩnh Định Đăng Đạo Hào Hiệp Hiển Khải Lành Nhàn
Pháp Quý Tạo Thọ Trường Tư Uy Bắc Cẩm Chính Dương Đại Đào Hạnh Khoa Lương Mạnh Nguyệt Phú Quyền
Sáng Thảo Thiên Thục Tiệp Trà Tuệ Út Vi Xuân Yến Ánh Ân Bách Bằng Cảnh Chiến Dân Diễm Dịu Đoan Giao
Hiên Học Hợp Khuê Kiều Lam Liễu Nghi Nhã Nhiên Phi Sa Thoa Thương Trúc Tiến Tùng Vĩ Doanh Diệp Hiệu
Hoan Huân Khiêm Lĩnh Mỵ Ngà Nhạn Phước Quảng Tâm Thi Thuần Thuý Toản Trân Tri Tuyến Vy Xuyên""".split()

ETHNIC_GROUPS = ["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
                 "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ",
                 "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
                 "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
                 "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo",
                 "Rơ Măm", "Brâu", "Ơ Đu"]


_FAMILY = by_letters([n.upper() for n in FAMILY_NAMES])
_ANY_NAME = by_letters([n.upper() for n in NAME_SYLLABLES + FAMILY_NAMES])
# After the family name, a word read as close to a middle or given name as to a family name is
# the former: "QUÃN" is QUÂN, not the family name QUAN.
_GIVEN = frozenset(n.upper() for n in NAME_SYLLABLES)


CHANGED = 0.8  # the most a name field is trusted once a word of it was changed here


def fix_name(name: str) -> str:
    """An upper-case full name with each word's marks checked against the name lists, and words a
    speck or a lost space ran together ("THANH.QUẪN", "THỊLAN") apart again."""
    words = [part for word in re.sub(r"(?<=\w)[.,;:|](?=\w)", " ", name).split() for part in _apart(word)]
    if not words:
        return name
    fixed = [snap(words[0], _FAMILY)] + [snap(w, _ANY_NAME, _GIVEN) for w in words[1:]]
    return unicodedata.normalize("NFC", " ".join(fixed))


def _apart(word: str) -> list[str]:
    """A word that is no known name as the two known names it is made of, if it is; else itself."""
    if fold(word) in _ANY_NAME:
        return [word]
    splits = [[word[:i], word[i:]] for i in range(2, len(word) - 1)
              if fold(word[:i]) in _ANY_NAME and fold(word[i:]) in _ANY_NAME]
    # Of the ways to cut it, the one that keeps most marks as read ("NGỌCÁNH": NGỌC ÁNH, not NGÔ CẢNH).
    return max(splits, key=lambda parts: sum(p in _ANY_NAME[fold(p)] for p in parts), default=[word])


def all_known_names(name: str) -> bool:
    """Whether every word of `name` has the letters of a known family name or name word."""
    return all(fold(w) in _ANY_NAME for w in name.split())


_L_READ_AS_I = re.compile(r"^[Il1|][.,'`]?(?=[^\W\d_])")


def with_family_initial(word: str) -> str:
    """A family name whose L was read as an I, l or 1, with a speck after it ("I.ý" -> "Lý"); any other
    word as it is."""
    rest = _L_READ_AS_I.sub("", word)
    if rest != word and rest[:1].islower() and fold("L" + rest) in _FAMILY:
        return "L" + rest
    return word


def join_split_words(text: str) -> str:
    """A name with a word OCR cut after its capital put back together ("Bùi T hu Lợi" -> "Bùi Thu
    Lợi"), when the two pieces make a known name word."""
    words = text.split()
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) == 1 and out[-1].isupper() and word.islower() and \
                (out[-1] + word).upper() in _ANY_NAME.get(fold(out[-1] + word), []):
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def fix_name_by(name: str, plain: str) -> str:
    """An upper-case full name checked word by word against `plain`, the same name without marks
    (an MRZ's): a word that is no known name, where `plain` has the letters of one, becomes that
    one, with the marks nearest those read ("KIMI" by "KIM" -> "KIM", "HA1" by "HAI" -> "HẢI")."""
    words, letters = name.split(), plain.split()
    if len(words) != len(letters):
        return name
    fixed = []
    for n, (word, plain_word) in enumerate(zip(words, letters)):
        known = _FAMILY if n == 0 else _ANY_NAME
        if fold(word) != plain_word and word not in known.get(fold(word), []) and plain_word in known:
            word = nearest(word, known[plain_word], frozenset() if n == 0 else _GIVEN)
        fixed.append(word)
    return unicodedata.normalize("NFC", " ".join(fixed))


def fix_ethnicity(text: str) -> str:
    """The ethnic group's official spelling, matched without marks or spaces; unchanged if none."""
    key = fold(text).replace(" ", "")
    for group in ETHNIC_GROUPS:
        if fold(group).replace(" ", "") == key:
            return group
    return text
