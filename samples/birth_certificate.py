"""Birth certificates (Giấy khai sinh, bản chính) laid out as the Ministry of Justice's form, with
made-up children and parents, and their ground truth."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw

from digitize.fields.citizen_id import sex_century_digit

from . import identity, texts
from .admin_page import font


@dataclass
class BirthRecord:
    child: str
    sex: str
    birth: date
    ethnicity: str
    place_of_birth: str
    origin: str
    personal_id: str
    mother: str
    mother_year: int
    father: str
    father_year: int
    residence: str
    number: int
    book: str
    registered: date
    commune: str
    district: str
    province: str
    signer: str

    @property
    def authority(self) -> str:
        return f"Ủy ban nhân dân Xã {self.commune}, Huyện {self.district}, Tỉnh {self.province}"

    @classmethod
    def random(cls, rng: random.Random) -> BirthRecord:
        sex = rng.choice(["Nam", "Nữ"])
        birth = date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28))
        registered = birth + timedelta(days=rng.randint(3, 55))
        commune, district = rng.choice(texts.COMMUNES), rng.choice(texts.DISTRICTS)
        province = rng.choice(sorted(identity.PROVINCE_CODE))
        family = rng.choice(texts.FAMILY)
        child = f"{family} {rng.choice(identity.WOMEN_MIDDLE if sex == 'Nữ' else identity.MEN_MIDDLE)} "
        child += rng.choice(texts.GIVEN)
        pid = (f"{identity.PROVINCE_CODE[province]}{sex_century_digit(sex, birth.year)}{birth.year % 100:02d}"
               f"{rng.randint(0, 999999):06d}")
        return cls(child=child.upper(), sex=sex, birth=birth, ethnicity=rng.choice(texts.ETHNICITIES),
                   place_of_birth=f"Trạm Y tế Xã {commune}, Huyện {district}, {province}",
                   origin=f"Xã {rng.choice(texts.COMMUNES)}, Huyện {rng.choice(texts.DISTRICTS)}, {province}",
                   personal_id=pid, mother=identity.name(rng, "Nữ").upper(), mother_year=birth.year - rng.randint(19, 38),
                   father=f"{family} {rng.choice(identity.MEN_MIDDLE)} {rng.choice(texts.GIVEN)}".upper(),
                   father_year=birth.year - rng.randint(20, 42),
                   residence=f"{rng.choice(texts.VILLAGES)}, Xã {commune}, Huyện {district}, {province}",
                   number=rng.randint(1, 480), book=f"01/{registered.year}", registered=registered, commune=commune,
                   district=district, province=province, signer=texts.person(rng))

    def truth(self) -> dict:
        return {"child_name": self.child, "date_of_birth": self.birth.isoformat(), "sex": self.sex,
                "ethnicity": self.ethnicity, "nationality": "Việt Nam", "place_of_birth": self.place_of_birth,
                "mother_name": self.mother, "father_name": self.father, "registration_number": str(self.number),
                "registration_date": self.registered.isoformat(), "registering_authority": self.authority}


def render(rec: BirthRecord, dpi: int, family: str) -> tuple[Image.Image, tuple[int, int]]:
    """The certificate on white A4 in grey, and where the registering office's seal goes."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    size = round(13 / 72 * dpi)
    img = Image.new("L", (px(210), px(297)), 255)
    d = ImageDraw.Draw(img)
    regular, bold = font(family, "Regular", size), font(family, "Bold", size)
    small_bold = font(family, "Bold", round(size * 0.9))
    line = round(size * 1.75)

    def centred(x_mm: float, y: int, text: str, f) -> None:
        d.text((px(x_mm) - d.textlength(text, font=f) / 2, y), text, font=f, fill=0)

    def labelled(x_mm: float, y: int, pairs: list[tuple[str, str]], gap_mm: float = 6) -> int:
        """Draws the pairs on a line; a value too long for the line goes on under the label.
        Returns the lines used."""
        x, used = px(x_mm), 1
        for label, value in pairs:
            d.text((x, y), f"{label}: ", font=regular, fill=0)
            x += d.textlength(f"{label}: ", font=regular)
            words = value.split()
            while words:
                fits = len(words)
                while fits > 1 and x + d.textlength(" ".join(words[:fits]), font=bold) > px(190):
                    fits -= 1
                d.text((x, y), " ".join(words[:fits]), font=bold, fill=0)
                x += d.textlength(" ".join(words[:fits]), font=bold) + px(gap_mm)
                words = words[fits:]
                if words:
                    x, y, used = px(x_mm), y + line, used + 1
        return used

    top = px(18)
    for i, text in enumerate(["ỦY BAN NHÂN DÂN", f"XÃ {rec.commune.upper()}", f"HUYỆN {rec.district.upper()}",
                              f"TỈNH {rec.province.upper()}"]):
        centred(55, top + i * round(size * 1.3), text, small_bold)
    centred(142, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", small_bold)
    centred(142, top + round(size * 1.3), "Độc lập - Tự do - Hạnh phúc", bold)
    y = top + 5 * round(size * 1.3)
    labelled(30, y, [("Số", str(rec.number))])
    labelled(30, y + line, [("Quyển số", rec.book)])
    centred(105, y + round(2.3 * line), "GIẤY KHAI SINH", font(family, "Bold", round(size * 1.5)))
    y += round(4 * line)
    rows = [
        [("Họ, chữ đệm, tên", rec.child)],
        [("Ngày, tháng, năm sinh", rec.birth.strftime("%d/%m/%Y"))],
        [("Giới tính", rec.sex), ("Dân tộc", rec.ethnicity), ("Quốc tịch", "Việt Nam")],
        [("Nơi sinh", rec.place_of_birth)],
        [("Quê quán", rec.origin)],
        [("Số định danh cá nhân", rec.personal_id)],
        [("Họ, chữ đệm, tên người mẹ", rec.mother)],
        [("Năm sinh", str(rec.mother_year)), ("Dân tộc", rec.ethnicity), ("Quốc tịch", "Việt Nam")],
        [("Nơi cư trú", rec.residence)],
        [("Họ, chữ đệm, tên người cha", rec.father)],
        [("Năm sinh", str(rec.father_year)), ("Dân tộc", rec.ethnicity), ("Quốc tịch", "Việt Nam")],
        [("Nơi cư trú", rec.residence)],
        [("Nơi đăng ký khai sinh", rec.authority)],
        [("Ngày, tháng, năm đăng ký", rec.registered.strftime("%d/%m/%Y"))],
    ]
    for row in rows:
        y += labelled(25, y, row) * line
    y += line
    centred(140, y, "NGƯỜI KÝ GIẤY KHAI SINH", bold)
    centred(140, y + round(size * 1.3), "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
            font(family, "Italic", round(size * 0.85)))
    seal_at = (px(128), y + 3 * line)
    centred(140, y + 5 * line, f"Phó Chủ tịch {rec.signer}", bold)
    return img, seal_at
