"""Makes the sample scans in samples/: Vietnamese administrative pages rendered with
Debian's fonts, degraded like counter scans, each with its ground truth (.txt body, .json).

    python -m samples.generate [--out DIR] [--seed N]
"""
from __future__ import annotations

import argparse
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = {
    "liberation-serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif{dstyle}.ttf",
    "noto-serif": "/usr/share/fonts/truetype/noto/NotoSerif-{style}.ttf",
}

BODIES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
    "Xét đề nghị của Trưởng phòng Văn hóa và Thông tin về việc tổ chức\n"
    "tiếp nhận hồ sơ trực tuyến tại Bộ phận Một cửa của xã trong quý IV.\n"
    "Điều 1. Phê duyệt kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục\n"
    "hành chính còn hiệu lực đang lưu giữ tại các phòng chuyên môn.\n"
    "Điều 2. Công chức Bộ phận Một cửa có trách nhiệm quét đầy đủ các trang\n"
    "giấy tờ, kiểm tra chất lượng bản quét và cập nhật vào kho dữ liệu điện tử.\n"
    "Điều 3. Chánh Văn phòng, thủ trưởng các đơn vị có liên quan chịu trách\n"
    "nhiệm thi hành Quyết định này kể từ ngày ký.",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về đẩy mạnh chuyển đổi số,\n"
    "Ủy ban nhân dân huyện đề nghị các cơ quan, đơn vị khẩn trương rà soát\n"
    "danh mục thủ tục hành chính thuộc thẩm quyền giải quyết; bảo đảm người\n"
    "dân không phải nộp lại những giấy tờ đã được số hóa và lưu trữ đúng quy định.\n"
    "Các đơn vị báo cáo kết quả thực hiện trước ngày 25 hằng tháng để tổng hợp,\n"
    "kịp thời tháo gỡ những khó khăn, vướng mắc phát sinh trong quá trình triển khai.",
    "Mục tiêu của kế hoạch là nâng cao chất lượng phục vụ người dân, doanh nghiệp;\n"
    "tỷ lệ hồ sơ được số hóa khi tiếp nhận đạt trên chín mươi phần trăm; thời gian\n"
    "chờ đợi tại quầy giảm rõ rệt so với cùng kỳ năm trước.\n"
    "Nhiệm vụ trọng tâm gồm: trang bị máy quét cho từng quầy tiếp nhận; tập huấn\n"
    "kỹ năng kiểm tra bản quét; kết nối kho dữ liệu với Cổng dịch vụ công quốc gia;\n"
    "ký số kết quả số hóa bằng chữ ký số của cơ quan theo đúng quy định hiện hành.",
]


@dataclass
class Spec:
    name: str
    font: str
    body: int
    doc_type: str
    symbol: str
    dpi: int = 300
    angle: float = 0.0
    noise: float = 0.0
    upside_down: bool = False
    fmt: str = "png"


SPECS = [
    Spec("sample-01-quyet-dinh", "liberation-serif", 0, "QUYẾT ĐỊNH", "QĐ-UBND", fmt="png"),
    Spec("sample-02-cong-van", "dejavu-serif", 1, "", "UBND-VP", dpi=200, angle=2.5, noise=8.0, fmt="jpg"),
    Spec("sample-03-ke-hoach", "noto-serif", 2, "KẾ HOẠCH", "KH-UBND", dpi=200, angle=-1.5,
         upside_down=True, fmt="tif"),
]


def _font(family: str, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    style = "Bold" if bold else "Regular"
    path = FONTS[family].format(style=style, dstyle="-Bold" if bold else "")
    return ImageFont.truetype(path, size)


def render_page(spec: Spec, rng: random.Random) -> tuple[Image.Image, dict]:
    px = lambda mm: round(mm / 25.4 * spec.dpi)  # noqa: E731
    size = round(13 / 72 * spec.dpi)  # 13 pt body text, as Decree 30 asks
    img = Image.new("L", (px(210), px(297)), 255)
    d = ImageDraw.Draw(img)
    regular, bold = _font(spec.font, False, size), _font(spec.font, True, size)
    number = f"{rng.randint(10, 2999)}/{spec.symbol}"
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2019, 2026)
    place = rng.choice(["Kon Tum", "Lâm Đồng", "Hà Giang", "Quảng Trị", "Bến Tre"])
    left, top, line = px(30), px(20), round(size * 1.45)
    small_bold = _font(spec.font, True, round(size * 0.9))
    right = lambda y, text, font: (px(140) - d.textlength(text, font=font) / 2, y, text, font)  # noqa: E731
    header = [
        (left, top, "ỦY BAN NHÂN DÂN", regular), right(top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", small_bold),
        (left, top + line, f"TỈNH {place.upper()}", bold), right(top + line, "Độc lập - Tự do - Hạnh phúc", bold),
        (left, top + 3 * line, f"Số: {number}", regular),
        right(top + 3 * line, f"{place}, ngày {day:02d} tháng {month:02d} năm {year}", regular),
    ]
    for x, y, text, font in header:
        d.text((x, y), text, font=font, fill=0)
    y = top + 5 * line
    if spec.doc_type:
        w = d.textlength(spec.doc_type, font=bold)
        d.text(((img.width - w) / 2, y), spec.doc_type, font=bold, fill=0)
        y += 2 * line
    body = "\n".join(_wrap(BODIES[spec.body].replace("\n", " "), regular, px(155), d))
    for text_line in body.split("\n"):
        d.text((left, y), text_line, font=regular, fill=0)
        y += line
    d.text((px(120), y + line, ), "TM. ỦY BAN NHÂN DÂN", font=bold, fill=0)
    d.text((px(125), y + 5 * line), "Trần Thị Mẫu", font=bold, fill=0)
    truth = {"fields": {"number": number, "place": place, "date": f"{year}-{month:02d}-{day:02d}",
                        "doc_type": spec.doc_type or None},
             "degradation": {"angle": spec.angle, "noise": spec.noise, "flip180": spec.upside_down},
             "font": spec.font, "dpi": spec.dpi, "body": body}
    return _degrade(img, spec, rng), truth


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, d: ImageDraw.ImageDraw) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and d.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current] if current else lines


def _degrade(img: Image.Image, spec: Spec, rng: random.Random) -> Image.Image:
    if spec.angle:
        img = img.rotate(spec.angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if spec.upside_down:
        img = img.rotate(180)
    if spec.noise:
        arr = np.asarray(img.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
        arr += np.random.default_rng(rng.randint(0, 2**31)).normal(0, spec.noise, arr.shape)
        img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return img


def write_sample(spec: Spec, out: Path, rng: random.Random) -> Path:
    page, truth = render_page(spec, rng)
    target = out / f"{spec.name}.{spec.fmt}"
    dpi = (spec.dpi, spec.dpi)
    if spec.fmt == "tif":
        second, _ = render_page(Spec(spec.name, spec.font, (spec.body + 1) % len(BODIES), "", spec.symbol,
                                     dpi=spec.dpi), rng)
        page.save(target, save_all=True, append_images=[second], compression="tiff_lzw", dpi=dpi)
        truth["pages"] = 2
    elif spec.fmt == "jpg":
        page.save(target, quality=80, dpi=dpi)
    else:
        buf = io.BytesIO()
        page.save(buf, format="PNG", dpi=dpi, optimize=True)
        target.write_bytes(buf.getvalue())
    (out / f"{spec.name}.txt").write_text(truth.pop("body") + "\n", encoding="utf-8")
    (out / f"{spec.name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    for spec in SPECS:
        print(write_sample(spec, args.out, rng))


if __name__ == "__main__":
    main()
