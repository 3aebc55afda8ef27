"""Small synthetic pages for unit tests: rendered Vietnamese text, no corpus needed."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "Ủy ban nhân dân xã đề nghị công dân bổ sung giấy tờ",
    "theo đúng quy định hiện hành trước ngày mười lăm.",
    "Bộ phận Một cửa tiếp nhận hồ sơ vào các ngày làm việc",
    "trong tuần, trừ ngày lễ và ngày nghỉ cuối tuần.",
    "Mọi thắc mắc xin liên hệ số điện thoại đường dây nóng.",
    "Kết quả giải quyết được trả qua dịch vụ bưu chính công ích.",
]


def text_page(dpi: int = 200, lines: list[str] | None = None) -> Image.Image:
    lines = lines or LINES
    size = round(12 / 72 * dpi)
    font = ImageFont.truetype(FONT, size)
    w, h = round(8.27 * dpi * 0.8), round(size * 1.6 * (len(lines) + 4))
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        d.text((round(0.05 * w), round(size * 1.6 * (i + 2))), line, font=font, fill=0)
    img.info["dpi"] = (dpi, dpi)
    return img


def rotated(img: Image.Image, angle: float) -> Image.Image:
    out = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    out.info["dpi"] = img.info.get("dpi")
    return out


def as_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img)
