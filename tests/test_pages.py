"""Pages in: every accepted input kind, and clear refusals for the rest."""
import io

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr import PageInputError, load_pages, sniff_type
from ocr.pages import is_garbage_text

from .imaging import text_page


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def test_png_keeps_resolution_and_grey():
    pages = load_pages(_encode(text_page(dpi=240), "PNG", dpi=(240, 240)))
    assert len(pages) == 1 and pages[0].dpi == pytest.approx(240, abs=1) and pages[0].image.ndim == 2


def test_jpeg_colour_is_rgb():
    pages = load_pages(_encode(text_page().convert("RGB"), "JPEG", dpi=(200, 200)))
    assert pages[0].image.ndim == 3 and pages[0].image.shape[2] == 3


def test_multipage_tiff_gives_every_page_in_order():
    first, second = text_page(), text_page().rotate(180)
    data = _encode(first, "TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    pages = load_pages(data)
    assert [p.index for p in pages] == [0, 1]
    assert not np.array_equal(pages[0].image, pages[1].image)


@pytest.mark.parametrize("mode", ["CMYK", "RGBA", "1", "I;16", "P"])
def test_unusual_image_modes_become_8_bit(mode):
    img = text_page()
    img = img.convert("I").point(lambda v: v * 200).convert("I;16") if mode == "I;16" else img.convert(mode)
    fmt = "TIFF" if mode in ("CMYK", "I;16") else "PNG"
    pages = load_pages(_encode(img, fmt))
    arr = pages[0].image
    assert arr.dtype == np.uint8 and arr.min() < 100 and arr.max() > 200


def test_missing_dpi_is_guessed_from_a4():
    img = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi, no dpi recorded
    assert load_pages(_encode(img, "PNG"))[0].dpi == pytest.approx(200, abs=1)


def test_image_only_pdf_uses_the_embedded_image():
    img = text_page(dpi=200).convert("RGB")
    pdf_bytes = _encode(img, "PDF", resolution=200)
    pages = load_pages(pdf_bytes)
    assert pages[0].image.shape[:2] == (img.height, img.width)
    assert pages[0].dpi == pytest.approx(200, abs=1)


def test_pdf_with_real_text_keeps_its_words(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 760 Td (Born digital report text for the archive) Tj ET")
    buf = io.BytesIO()
    pdf.save(buf)
    pages = load_pages(buf.getvalue())
    assert pages[0].image is None
    assert " ".join(w.text for w in pages[0].words) == "Born digital report text for the archive"


def test_legacy_font_garbage_is_detected():
    assert is_garbage_text("Quy\u00ae\u00b8t \u00a7\u00fenh c\u00f9a \u00f1y ban nh\u00b8n d\u00b8n tØnh")  # TCVN3-like
    assert is_garbage_text("(cid:12)(cid:40)(cid:33)")
    assert not is_garbage_text("Quyết định của Ủy ban nhân dân tỉnh về việc phê duyệt")


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (b"hello, this is text", "unsupported_type"),
    (b"%PDF-1.7\n1 0 obj garbage", "corrupt_pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "corrupt_image"),
])
def test_bad_input_is_refused_with_a_code(data, code):
    with pytest.raises(PageInputError) as err:
        load_pages(data)
    assert err.value.code == code and err.value.message_vi


def test_encrypted_pdf_is_refused():
    buf = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(PageInputError) as err:
        load_pages(buf.getvalue())
    assert err.value.code == "encrypted_pdf"


def test_decompression_bomb_is_refused():
    # A 1-bit PNG of 12000 x 12000 pixels compresses to a few kilobytes.
    data = _encode(Image.new("1", (12000, 12000), 1), "PNG")
    assert len(data) < 100_000
    with pytest.raises(PageInputError) as err:
        load_pages(data)
    assert err.value.code == "image_too_large"


def test_type_comes_from_content_not_name():
    assert sniff_type(_encode(text_page(), "PNG")) == "png"
    assert sniff_type(_encode(text_page(), "TIFF")) == "tiff"


def test_a_confident_reading_without_vietnamese_syllables_is_doubtful_and_loses_to_the_page_turned():
    """trueocr reads an upside-down card back with high confidence, but as no Vietnamese words."""
    from ocr.model import Word
    from ocr.recognize import _doubtful, _readable

    def words(text: str, conf: float) -> list[Word]:
        return [Word(t, 10 * i, 10, 8, 8, conf, 1, 1, 1) for i, t in enumerate(text.split())]

    upside_down = words("Iệud o.ì uobN lỆ1) O1) IỌBN neW ueAuaAnổN IỘH YX LÝNL HNỊHO", 92)
    upright = words("Đặc điểm nhân dạng Nốt ruồi trên đầu mày trái Ngón trỏ trái", 80)
    assert _doubtful(upside_down) and not _doubtful(upright)
    assert _readable(upright) > _readable(upside_down)
