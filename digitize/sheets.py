"""Sheets the counter prints and feeds through the scanner with the papers: a separator between
two papers, and a dossier's cover sheet in front of its papers, so that one pass can hold several
dossiers. Each carries a QR code (as Paperless-ngx's separator pages and scanners' patch codes do);
the splitter reads it, and the sheet itself never becomes part of a paper."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

SEPARATOR = "MOTCUA-TACH"
COVER_PREFIX = "MOTCUA-HOSO:"
A4_MM = (210, 297)
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")


@dataclass(frozen=True)
class SheetMark:
    """What a sheet's QR code says: "separator", or "cover" with the dossier it opens."""

    kind: str
    dossier_code: str | None = None


def read_mark(payload: str) -> SheetMark | None:
    """The sheet a QR payload belongs to, or None for any other QR code."""
    text = payload.strip()
    if text == SEPARATOR:
        return SheetMark("separator")
    if text.startswith(COVER_PREFIX) and len(text) > len(COVER_PREFIX):
        return SheetMark("cover", text[len(COVER_PREFIX):].strip().upper())
    return None


def separator_image(dpi: int = 300) -> Image.Image:
    return _sheet(dpi, "TỜ TÁCH GIẤY TỜ", SEPARATOR, [
        "Đặt tờ này giữa hai giấy tờ khi quét nhiều giấy tờ một lần.",
        "Tờ này không được lưu vào giấy tờ nào.",
    ])


def cover_image(dossier_code: str, dpi: int = 300) -> Image.Image:
    return _sheet(dpi, "BÌA HỒ SƠ", COVER_PREFIX + dossier_code, [
        f"Mã hồ sơ: {dossier_code}",
        "Đặt tờ này trước các giấy tờ của hồ sơ khi quét nhiều hồ sơ một lần.",
        "Các trang sau tờ này, đến tờ bìa kế tiếp, thuộc hồ sơ trên.",
    ], big=dossier_code)


@dataclass(frozen=True)
class ReceiptContent:
    """What the citizen's receipt says (giấy tiếp nhận hồ sơ và hẹn trả kết quả)."""

    agency: str
    dossier_code: str
    owner_id: str | None
    applicant: str | None  # name and phone of who brought it
    address: str | None
    procedure: str | None
    papers: list[str]
    missing: list[str]
    clerk: str
    when: str
    promised: str | None  # dd/mm/yyyy, or None when the procedure publishes no time limit


def dossier_receipt_image(content: ReceiptContent, dpi: int = 150) -> Image.Image:
    """The receipt the citizen takes home: the dossier's code as text and QR, who brought it, the
    papers received, those still missing, the promised date, who received them and when."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    img = Image.new("L", (px(A4_MM[0]), px(A4_MM[1])), 255)
    draw = ImageDraw.Draw(img)
    path = next((f for f in FONTS if Path(f).is_file()), FONTS[0])
    title, body = ImageFont.truetype(path, px(5.5)), ImageFont.truetype(path, px(3.6))
    y = px(15)
    for text, font in ((content.agency.upper(), body), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", body),
                       ("Độc lập - Tự do - Hạnh phúc", body)):
        draw.text(((img.width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=0)
        y += px(6)
    y += px(6)
    for text in ("GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ"):
        draw.text(((img.width - draw.textlength(text, font=title)) / 2, y), text, font=title, fill=0)
        y += px(8)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    qr.add_data(COVER_PREFIX + content.dossier_code)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("L").resize((px(28), px(28)))
    img.paste(code, (img.width - px(20) - code.width, y + px(4)))
    y += px(8)
    lines = [f"Mã hồ sơ: {content.dossier_code}", f"Thủ tục: {content.procedure or '—'}",
             f"Chủ hồ sơ (số định danh): {content.owner_id or '—'}", f"Người nộp: {content.applicant or '—'}",
             f"Địa chỉ: {content.address or '—'}", f"Tiếp nhận lúc: {content.when}",
             f"Cán bộ tiếp nhận: {content.clerk}", "", f"Giấy tờ đã nhận ({len(content.papers)}):"]
    lines += [f"  {n}. {p}" for n, p in enumerate(content.papers, 1)] or ["  (chưa có)"]
    if content.missing:
        lines += ["", "Giấy tờ còn thiếu, cần bổ sung:"] + [f"  - {m}" for m in content.missing]
    lines += ["", f"Ngày hẹn trả kết quả: {content.promised or 'cán bộ sẽ báo khi hồ sơ đủ'}",
              "", "Tra cứu tình trạng hồ sơ bằng mã hồ sơ hoặc mã QR trên giấy này."]
    for line in lines:
        while draw.textlength(line, font=body) > img.width - px(40):  # a long line goes on the next one
            cut = line.rfind(" ", 0, len(line) * 3 // 4)
            draw.text((px(20), y), line[:cut], font=body, fill=0)
            y, line = y + px(6), "      " + line[cut + 1:]
        draw.text((px(20), y), line, font=body, fill=0)
        y += px(6)
    return img


def as_pdf(images: list[Image.Image], dpi: int = 300) -> bytes:
    out = io.BytesIO()
    first, *rest = [img.convert("RGB") for img in images]
    first.save(out, format="PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return out.getvalue()


def _sheet(dpi: int, title: str, payload: str, lines: list[str], big: str | None = None) -> Image.Image:
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    img = Image.new("L", (px(A4_MM[0]), px(A4_MM[1])), 255)
    draw = ImageDraw.Draw(img)
    path = next((f for f in FONTS if Path(f).is_file()), FONTS[0])
    heading, body = ImageFont.truetype(path, px(12)), ImageFont.truetype(path, px(4.5))

    def centred(y: int, text: str, font: ImageFont.FreeTypeFont) -> None:
        draw.text(((img.width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=0)

    centred(px(30), title, heading)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(payload)
    code = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    code = code.resize((px(70), px(70)), Image.NEAREST)
    img.paste(code, ((img.width - code.width) // 2, px(60)))
    y = px(140)
    if big:
        centred(y, big, ImageFont.truetype(path, px(9)))
        y += px(18)
    for line in lines:
        centred(y, line, body)
        y += px(9)
    return img
