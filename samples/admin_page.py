"""An administrative document page laid out as Decree 30/2020 asks, with its ground truth."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from . import texts

FONT_FILES = {
    "liberation-serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-{style}.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif{dstyle}.ttf",
    "noto-serif": "/usr/share/fonts/truetype/noto/NotoSerif-{style}.ttf",
    "noto-sans": "/usr/share/fonts/truetype/noto/NotoSans-{style}.ttf",
}


def font(family: str, style: str, size: int) -> ImageFont.FreeTypeFont:
    """style: Regular, Bold or Italic."""
    dstyle = {"Regular": "", "Bold": "-Bold", "Italic": "-Italic"}[style]
    return ImageFont.truetype(FONT_FILES[family].format(style=style, dstyle=dstyle), size)


@dataclass
class AdminPage:
    """What goes on the page; `render` lays it out."""
    agency_parent: str
    agency: str
    number: str
    place: str
    day: int
    month: int
    year: int
    doc_type: str
    body: str
    signer_title: str
    signer: str
    font: str = "liberation-serif"
    point_size: float = 13.0
    extra: dict = field(default_factory=dict)

    @classmethod
    def random(cls, rng: random.Random, font_family: str, sentences: int | None = None) -> AdminPage:
        doc_type, abbr = rng.choice(texts.DOC_TYPES)
        place = rng.choice(texts.PROVINCES)
        return cls(agency_parent="ỦY BAN NHÂN DÂN", agency=f"TỈNH {place.upper()}",
                   number=f"{rng.randint(1, 2999)}/{abbr}-UBND", place=place, day=rng.randint(1, 28),
                   month=rng.randint(1, 12), year=rng.randint(2019, 2026), doc_type=doc_type,
                   body=texts.body(rng, sentences or rng.randint(12, 18)), signer_title="TM. ỦY BAN NHÂN DÂN",
                   signer=texts.person(rng), font=font_family, point_size=rng.choice([13.0, 13.5, 14.0]))

    @property
    def date_line(self) -> str:
        return f"{self.place}, ngày {self.day:02d} tháng {self.month:02d} năm {self.year}"

    def truth(self, body_lines: list[str]) -> dict:
        return {
            "fields": {"agency": f"{self.agency_parent} {self.agency}", "number": self.number, "place": self.place,
                       "date": f"{self.year}-{self.month:02d}-{self.day:02d}", "doc_type": self.doc_type or None,
                       "signer": self.signer},
            "header": [self.agency_parent, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", self.agency,
                       "Độc lập - Tự do - Hạnh phúc", f"Số: {self.number}", self.date_line]
                      + ([self.doc_type] if self.doc_type else []),
            "footer": [self.signer_title, self.signer],
            "font": self.font,
            "body_lines": body_lines,
        }


def render(page: AdminPage, dpi: int) -> tuple[Image.Image, dict]:
    """White A4 page in grey at `dpi`, and the truth with `seal_at` (pixel centre for a seal)."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    size = round(page.point_size / 72 * dpi)
    img = Image.new("L", (px(210), px(297)), 255)
    d = ImageDraw.Draw(img)
    regular, bold, italic = (font(page.font, s, size) for s in ("Regular", "Bold", "Italic"))
    small_bold = font(page.font, "Bold", round(size * 0.92))
    left, right, top, line = px(30), px(195), px(20), round(size * 1.5)
    left_centre, right_centre = px(62), px(140)

    def centred(x: float, y: float, text: str, f: ImageFont.FreeTypeFont) -> None:
        d.text((x - d.textlength(text, font=f) / 2, y), text, font=f, fill=0)

    # The motto's column must not run into the agency's (Decree 30 sets them apart): a wide font
    # prints the motto smaller.
    widest_agency = max(d.textlength(page.agency_parent, font=regular), d.textlength(page.agency, font=bold))
    room = 2 * (right_centre - left_centre - widest_agency / 2 - px(3))
    while d.textlength("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small_bold) > room and small_bold.size > 8:
        small_bold = font(page.font, "Bold", small_bold.size - 1)
    centred(left_centre, top, page.agency_parent, regular)
    centred(left_centre, top + line, page.agency, bold)
    centred(right_centre, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", small_bold)
    centred(right_centre, top + line, "Độc lập - Tự do - Hạnh phúc", bold)
    centred(left_centre, top + 3 * line, f"Số: {page.number}", regular)
    centred(right_centre, top + 3 * line, page.date_line, italic)
    y = top + 5 * line
    if page.doc_type:
        centred(img.width / 2, y, page.doc_type, bold)
        y += 2 * line
    lines = wrap(page.body, regular, right - left, d)
    for text_line in lines:
        d.text((left, y), text_line, font=regular, fill=0)
        y += line
    y += line
    centred(px(150), y, page.signer_title, bold)
    seal_at = (px(138), y + 2 * line)
    centred(px(150), y + 4 * line, page.signer, bold)
    truth = page.truth(lines)
    truth["seal_at"] = seal_at
    return img, truth


def wrap(text: str, f: ImageFont.FreeTypeFont, width: int, d: ImageDraw.ImageDraw) -> list[str]:
    """Greedy line filling; a list item ('- ...') starts a new line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        item_starts = word == "-" and current
        if current and (item_starts or d.textlength(candidate, font=f) > width):
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current] if current else lines


def render_continuation(page: AdminPage, dpi: int, number: int, total: int, style: str,
                        last: bool) -> Image.Image:
    """A later page of the same document: its number at the top centre as Decree 30 asks ("top"),
    or at the foot as "- 2 -" or "Trang 2/3"; body text, and on the last page the signature."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    size = round(page.point_size / 72 * dpi)
    img = Image.new("L", (px(210), px(297)), 255)
    d = ImageDraw.Draw(img)
    regular, bold = font(page.font, "Regular", size), font(page.font, "Bold", size)
    left, right, line = px(30), px(195), round(size * 1.5)
    label = {"top": str(number), "dash": f"- {number} -", "trang": f"Trang {number}/{total}"}[style]
    y_label = px(12) if style == "top" else px(280)
    d.text((px(105) - d.textlength(label, font=regular) / 2, y_label), label, font=regular, fill=0)
    y = px(25)
    for text_line in wrap(page.body, regular, right - left, d)[: 30 if last else 40]:
        d.text((left, y), text_line, font=regular, fill=0)
        y += line
    if last:
        y += line
        d.text((px(150) - d.textlength(page.signer_title, font=bold) / 2, y), page.signer_title, font=bold, fill=0)
        d.text((px(150) - d.textlength(page.signer, font=bold) / 2, y + 4 * line), page.signer, font=bold, fill=0)
    return img
