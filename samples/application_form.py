"""An application (đơn đề nghị) handed in with a dossier: a paper of no kind we extract, so it is
classified 'other' and its 'Label: value' pairs are kept as they are."""
from __future__ import annotations

import random

from PIL import Image, ImageDraw

from digitize.fields.labels import field_key

from . import identity, texts
from .admin_page import font

REQUESTS = ["ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC", "ĐƠN ĐỀ NGHỊ XÁC NHẬN NƠI CƯ TRÚ",
            "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ", "ĐƠN ĐỀ NGHỊ HỖ TRỢ HỌC PHÍ"]


def random_pairs(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    person = identity.citizen(rng)
    return rng.choice(REQUESTS), [
        ("Kính gửi", f"Ủy ban nhân dân Xã {rng.choice(texts.COMMUNES)}"),
        ("Họ và tên người đề nghị", person.full_name.title()),
        ("Số định danh cá nhân", person.id12),
        ("Địa chỉ liên hệ", person.residence),
        ("Số điện thoại", f"09{rng.randint(10000000, 99999999)}"),
        ("Nội dung đề nghị", rng.choice(texts.SENTENCES).lstrip("- ").rstrip(".;,")),
    ]


def render(title: str, pairs: list[tuple[str, str]], dpi: int, family: str) -> Image.Image:
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    size = round(13 / 72 * dpi)
    img = Image.new("L", (px(210), px(297)), 255)
    d = ImageDraw.Draw(img)
    regular, bold = font(family, "Regular", size), font(family, "Bold", size)

    def centred(y: int, text: str, f) -> None:
        d.text((px(105) - d.textlength(text, font=f) / 2, y), text, font=f, fill=0)

    y = px(20)
    centred(y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    centred(y + round(size * 1.4), "Độc lập - Tự do - Hạnh phúc", bold)
    y += px(22)
    centred(y, title, font(family, "Bold", round(size * 1.2)))
    y += px(18)
    for label, value in pairs:
        text = f"{label}: {value}"
        while text:  # a long value goes on under its label
            words = text.split()
            fits = len(words)
            while fits > 1 and d.textlength(" ".join(words[:fits]), font=regular) > px(165):
                fits -= 1
            d.text((px(25), y), " ".join(words[:fits]), font=regular, fill=0)
            text = " ".join(words[fits:])
            y += round(size * 1.8)
    d.text((px(25), y + px(10)), "Tôi xin cam đoan những nội dung trên là đúng sự thật.", font=regular, fill=0)
    centred(y + px(30), "NGƯỜI ĐỀ NGHỊ", bold)
    return img


def key(label: str) -> str:
    """The name `digitize` gives a label's field."""
    return field_key(label)
