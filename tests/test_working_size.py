"""Large print read at a working size (ocr/working_size.py), with real Tesseract."""
import numpy as np

from ocr import cleanup
from ocr.metrics import cer
from ocr.tesserocr_engine import TesserocrEngine
from ocr.working_size import read_words, working_scale

from .imaging import LINES, as_array, text_page


def _speckled(page: np.ndarray) -> np.ndarray:
    page = page.copy()
    rng = np.random.default_rng(3)
    page[rng.integers(0, page.shape[0], 6000), rng.integers(0, page.shape[1], 6000)] = 30
    return page


def test_large_print_is_read_smaller_with_the_same_words_in_the_page_pixels():
    page = as_array(text_page(dpi=400))  # 12 points at 400 dpi: as large as a heading's at 300
    scale = working_scale(cleanup.survey(page))
    assert 0.5 <= scale < 0.9
    engine = TesserocrEngine()
    full, small = engine.words(page, 400), read_words(engine, page, 400)
    truth = "\n".join(LINES)
    assert cer(truth, " ".join(w.text for w in small)) <= cer(truth, " ".join(w.text for w in full)) + 0.01
    assert [w.text for w in small] == [w.text for w in full]
    for a, b in zip(small, full):  # the boxes are where the full-size reading put them, within a pixel or two
        assert max(abs(a.left - b.left), abs(a.top - b.top), abs(a.width - b.width), abs(a.height - b.height)) <= 4


def test_small_print_and_worn_copies_are_read_at_their_own_size():
    assert working_scale(cleanup.survey(as_array(text_page(dpi=200)))) == 1.0
    assert working_scale(cleanup.survey(_speckled(as_array(text_page(dpi=300))))) == 1.0
    assert working_scale(cleanup.survey(np.full((100, 100), 255, np.uint8))) == 1.0  # no ink at all
