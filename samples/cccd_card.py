"""Specimen citizen id cards (CCCD 2021 and Căn cước 2024), front and back photocopied on one A4
page as counters do, with a real QR payload and MRZ. Every card says "MẪU - SPECIMEN" across it."""
from __future__ import annotations

import random
from datetime import date

import qrcode
from PIL import Image, ImageDraw, ImageFont

from ocr.mrz import make_td1

from .admin_page import font
from .identity import Citizen

CARD_MM = (85.6, 54.0)
OCR_B = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
INK, RED, PAPER = (25, 25, 30), (205, 35, 45), (236, 242, 234)
SIGNERS = {"2021": ["CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"],
           "2024": ["BỘ CÔNG AN", "MINISTRY OF PUBLIC SECURITY"]}


def dmy(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "Không thời hạn"


def qr_payload(c: Citizen) -> str:
    return "|".join([c.id12, c.old_id, c.full_name.title(), c.birth.strftime("%d%m%Y"), c.sex, c.residence,
                     c.issued.strftime("%d%m%Y")])


def truth(c: Citizen, model: str) -> dict:
    fields = {"id": c.id12, "full_name": c.full_name, "date_of_birth": c.birth.isoformat(), "sex": c.sex,
              "nationality": "Việt Nam", "residence": c.residence,
              "expiry": c.expiry.isoformat() if c.expiry else "Không thời hạn", "issue_date": c.issued.isoformat()}
    fields["place_of_origin" if model == "2021" else "place_of_birth"] = c.origin
    return fields


class _Card:
    """Drawing on one side of a card in millimetres."""

    def __init__(self, dpi: int, family: str):
        self.dpi, self.family = dpi, family
        self.img = Image.new("RGB", (self.px(CARD_MM[0]), self.px(CARD_MM[1])), PAPER)
        self.d = ImageDraw.Draw(self.img)
        self.d.rounded_rectangle((0, 0, self.img.width - 1, self.img.height - 1), radius=self.px(3),
                                 outline=(150, 160, 150), width=max(1, dpi // 150))
        self.printed: list[tuple[float, float, str]] = []  # (top, left) in mm and the text: the OCR truth

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    def font(self, mm: float, style: str = "Regular") -> ImageFont.FreeTypeFont:
        return font(self.family, style, self.px(mm))

    def text(self, x: float, y: float, text: str, mm: float = 2.1, style: str = "Regular", fill=INK,
             centred: bool = False) -> float:
        """Draws at (x, y) mm; returns the x in mm where the text ends."""
        f = self.font(mm, style)
        width = self.d.textlength(text, font=f)
        left = self.px(x) - (width / 2 if centred else 0)
        self.d.text((left, self.px(y)), text, font=f, fill=fill)
        self.printed.append((y, left / self.dpi * 25.4, text))
        return (left + width) / self.dpi * 25.4

    def field(self, x: float, y: float, label: str, value: str, mm: float = 2.1) -> None:
        end = self.text(x, y + 0.25, label, mm * 0.82)
        self.text(end + 1.2, y, value, mm, "Bold")

    def wrapped(self, x: float, y: float, text: str, width_mm: float, mm: float = 2.1, line_mm: float = 3.0,
                first_x: float | None = None) -> float:
        """Bold text over as many lines as needed; the first may start further right."""
        f = self.font(mm, "Bold")
        words, line, lines = text.split(), "", []
        for word in words:
            room = width_mm - ((first_x or x) - x if not lines else 0)
            candidate = f"{line} {word}".strip()
            if line and self.d.textlength(candidate, font=f) / self.dpi * 25.4 > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        for i, ln in enumerate(lines):
            self.text(first_x if i == 0 and first_x else x, y + i * line_mm, ln, mm, "Bold")
        return y + len(lines) * line_mm

    def qr(self, x: float, y: float, size_mm: float, payload: str) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=1)
        code.add_data(payload.encode("utf-8"))
        code.make(fit=True)
        img = code.make_image(fill_color="black", back_color="white").convert("RGB")
        self.img.paste(img.resize((self.px(size_mm), self.px(size_mm)), Image.NEAREST), (self.px(x), self.px(y)))

    def photo(self, x: float, y: float, w: float, h: float) -> None:
        self.d.rectangle((self.px(x), self.px(y), self.px(x + w), self.px(y + h)), fill=(200, 205, 210))
        self.d.ellipse((self.px(x + w * 0.28), self.px(y + h * 0.15), self.px(x + w * 0.72), self.px(y + h * 0.6)),
                       fill=(150, 155, 160))
        self.d.pieslice((self.px(x + w * 0.1), self.px(y + h * 0.62), self.px(x + w * 0.9), self.px(y + h * 1.4)),
                        180, 360, fill=(150, 155, 160))

    def emblem(self, x: float, y: float, r: float) -> None:
        self.d.ellipse((self.px(x - r), self.px(y - r), self.px(x + r), self.px(y + r)), fill=RED,
                       outline=(220, 180, 40), width=self.px(0.6))

    def specimen(self) -> None:
        """A red diagonal 'MẪU - SPECIMEN' over the whole side."""
        layer = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(layer).text((self.img.width / 2, self.img.height / 2), "MẪU - SPECIMEN",
                                   font=font("dejavu-serif", "Bold", self.px(7)), fill=90, anchor="mm")
        layer = layer.rotate(22, resample=Image.BICUBIC)
        self.img.paste(Image.new("RGB", self.img.size, (225, 60, 60)), (0, 0), layer)

    def mrz(self, lines: list[str]) -> None:
        size = self.px(3.4)
        f = ImageFont.truetype(OCR_B, size)
        while self.d.textlength("<" * 30, font=f) > self.px(78):
            size -= 1
            f = ImageFont.truetype(OCR_B, size)
        for i, line in enumerate(lines):
            self.d.text((self.px(4), self.px(36 + i * 5.2)), line, font=f, fill=INK)
            self.printed.append((36 + i * 5.2, 4, line))

    def lines(self) -> list[str]:
        """The printed text as a reader takes it: rows top to bottom (a label and its value, a little
        lower, are one row), each left to right."""
        rows: list[list[tuple[float, float, str]]] = []
        for item in sorted(self.printed):
            if rows and item[0] - rows[-1][0][0] <= 1.0:
                rows[-1].append(item)
            else:
                rows.append([item])
        return [" ".join(text for _y, _x, text in sorted(row, key=lambda i: i[1])) for row in rows]


def _front(dpi: int, family: str, centre: float, title: tuple[str, float], subtitle: str) -> _Card:
    """A card front's emblem, national motto and title, centred at `centre` mm."""
    s = _Card(dpi, family)
    s.emblem(9, 9, 6)
    s.text(centre, 2.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 2.0, "Bold", centred=True)
    s.text(centre, 5.6, "Độc lập - Tự do - Hạnh phúc", 2.0, "Bold", centred=True)
    s.text(centre, 9.2, title[0], title[1], "Bold", fill=RED, centred=True)
    s.text(centre, 13.0, subtitle, 1.8, centred=True)
    return s


def front_2021(c: Citizen, dpi: int, family: str, qr: bool = True) -> _Card:
    s = _front(dpi, family, 44, ("CĂN CƯỚC CÔNG DÂN", 3.0), "Citizen Identity Card")
    if qr:
        s.qr(68, 2, 16, qr_payload(c))
    s.photo(3, 19, 19, 24)
    s.text(2.5, 45.5, "Có giá trị đến:", 1.7)
    s.text(2.5, 48.5, dmy(c.expiry), 2.1, "Bold")
    s.field(25, 18, "Số / No.:", c.id12, 3.0)
    s.text(25, 23, "Họ và tên / Full name:", 1.75)
    s.text(25, 25.6, c.full_name, 2.6, "Bold")
    s.field(25, 29.8, "Ngày sinh / Date of birth:", dmy(c.birth))
    s.field(25, 33.0, "Giới tính / Sex:", c.sex)
    s.field(51, 33.0, "Quốc tịch / Nationality:", "Việt Nam")
    s.text(25, 36.3, "Quê quán / Place of origin:", 1.75)
    y = s.wrapped(25, 39.0, c.origin, 58)
    s.text(25, y + 0.3, "Nơi thường trú / Place of residence:", 1.75)
    s.wrapped(25, y + 3.0, c.residence, 58)
    s.specimen()
    return s


def back_2021(c: Citizen, dpi: int, family: str) -> _Card:
    s = _Card(dpi, family)
    s.text(3, 3, "Đặc điểm nhân dạng / Personal identification:", 1.75)
    s.text(3, 6, c.features, 2.0, "Bold")
    s.field(3, 11, "Ngày, tháng, năm / Date, month, year:", dmy(c.issued), 2.0)
    for i, line in enumerate(SIGNERS["2021"]):
        s.text(24, 15 + i * 3, line, 1.9, "Bold", centred=True)
    s.text(24, 28, "Nguyễn Văn Mẫu", 2.1, "Bold", centred=True)
    for x in (50, 68):
        s.d.rectangle((s.px(x), s.px(14), s.px(x + 15), s.px(31)), outline=(120, 120, 120), width=s.px(0.2))
    s.text(57.5, 31.5, "Ngón trỏ trái", 1.5, centred=True)
    s.text(75.5, 31.5, "Ngón trỏ phải", 1.5, centred=True)
    s.mrz(make_td1(c.id12, c.birth, c.sex, c.expiry, c.full_name))
    s.specimen()
    return s


def front_2024(c: Citizen, dpi: int, family: str) -> _Card:
    s = _front(dpi, family, 48, ("CĂN CƯỚC", 3.2), "IDENTITY CARD")
    s.photo(3, 19, 19, 24)
    s.text(25, 17.5, "Số định danh cá nhân / Personal identification number:", 1.7)
    s.text(25, 20.3, c.id12, 3.0, "Bold")
    s.text(25, 25.0, "Họ, chữ đệm và tên khai sinh / Full name:", 1.7)
    s.text(25, 27.6, c.full_name, 2.6, "Bold")
    s.field(25, 32.0, "Ngày, tháng, năm sinh / Date of birth:", dmy(c.birth))
    s.field(25, 35.5, "Giới tính / Sex:", c.sex)
    s.field(51, 35.5, "Quốc tịch / Nationality:", "Việt Nam")
    s.specimen()
    return s


def back_2024(c: Citizen, dpi: int, family: str, qr: bool = True) -> _Card:
    s = _Card(dpi, family)
    if qr:
        s.qr(66, 2, 17, qr_payload(c))
    s.text(3, 2.5, "Nơi cư trú / Place of residence:", 1.7)
    y = s.wrapped(3, 5.0, c.residence, 60)
    s.text(3, y + 0.3, "Nơi đăng ký khai sinh / Place of birth:", 1.7)
    y = s.wrapped(3, y + 2.9, c.origin, 60)
    s.field(3, y + 0.6, "Ngày, tháng, năm cấp / Date of issue:", dmy(c.issued), 2.0)
    s.field(3, y + 3.8, "Ngày, tháng, năm hết hạn / Date of expiry:", dmy(c.expiry), 2.0)
    s.mrz(make_td1(c.id12, c.birth, c.sex, c.expiry, c.full_name))
    s.specimen()
    return s


def render(c: Citizen, model: str, dpi: int, family: str, *, qr_covered: bool = False,
           rng: random.Random | None = None) -> Image.Image:
    """An A4 page with the card's front above its back. `qr_covered`: a sticky note hides the QR."""
    front, back = sides(c, model, dpi, family, qr_covered=qr_covered)
    page = Image.new("RGB", (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)), (255, 255, 255))
    x = round(((210 - CARD_MM[0]) / 2 + ((rng.uniform(-8, 8)) if rng else 0)) / 25.4 * dpi)
    page.paste(front, (x, round(35 / 25.4 * dpi)))
    page.paste(back, (x, round(110 / 25.4 * dpi)))
    return page


def sides(c: Citizen, model: str, dpi: int, family: str, *, qr_covered: bool = False) -> tuple[Image.Image, Image.Image]:
    """The card's front and back, each on its own (as a phone photographs them)."""
    front, back = printed_sides(c, model, dpi, family, qr_covered=qr_covered)
    return front.img, back.img


def printed_sides(c: Citizen, model: str, dpi: int, family: str, *, qr_covered: bool = False) -> tuple[_Card, _Card]:
    """The card's front and back with the text printed on each (`.img`, `.lines()`)."""
    if model == "2021":
        front, back = front_2021(c, dpi, family), back_2021(c, dpi, family)
        qr_side, qr_at = front, (68, 2)
    else:
        front, back = front_2024(c, dpi, family), back_2024(c, dpi, family)
        qr_side, qr_at = back, (66, 2)
    if qr_covered:
        px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
        ImageDraw.Draw(qr_side.img).rectangle((px(qr_at[0] - 2), px(qr_at[1] - 1), px(qr_at[0] + 18.5),
                                               px(qr_at[1] + 19)), fill=(250, 236, 140))
    return front, back
