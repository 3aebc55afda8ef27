"""The second engine and the line-by-line combination of two readings (ocr/combine.py)."""
from dataclasses import replace

import numpy as np
import pytest

from ocr import cleanup, combine, trueocr_engine
from ocr.metrics import cer
from ocr.model import Word, in_rows, words_to_text
from ocr.syllables import is_syllable, well_formed
from ocr.trueocr_engine import Line

from .imaging import LINES, as_array, text_page


@pytest.mark.parametrize("word", ["người", "Quyết", "nghiêng", "khuya", "hoạch", "giữ", "thuở", "Huế", "ấy", "ĐỊNH"])
def test_vietnamese_syllables_are_well_formed(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["nguòi", "thàmh", "QUYÉT", "dâmông", "tiêpf", "hoạcch", "ngườii"])
def test_misread_words_are_not_syllables(word):
    assert not is_syllable(word)


def test_abbreviations_are_not_counted_as_words():
    assert well_formed("Số: 801/HD-UBND của HĐND tỉnh") == (3, 3)


def _line(text: str, top: int, conf: float, left: int = 100, word_width: int = 80) -> list[Word]:
    return [Word(text=t, left=left + i * (word_width + 20), top=top, width=word_width, height=30, conf=conf,
                 block=1, par=1, line=top // 50 + 1) for i, t in enumerate(text.split())]


def _second(text: str, top: int, conf: float, left: int = 100, word_width: int = 80) -> Line:
    n = len(text.split())
    line = Line(text, left - 5, top - 5, left + n * (word_width + 20), top + 35, conf)
    line.words = [Word(text=t, left=left + i * (word_width + 20), top=top, width=word_width, height=30, conf=conf,
                       block=9, par=1, line=1) for i, t in enumerate(text.split())]
    return line


def test_lines_read_alike_keep_tesseract_words_and_boxes():
    words = _line("đề nghị bổ sung", 100, 95)
    lines = [_second("để nghị bố sung", 100, 98)]  # trueocr's usual slips on marks
    combined = combine.combine(words, lines)
    assert [replace(w, other="") for w in combined] == words
    # trueocr's marks go with them, for the worn-copy model (ocr/lexicon.py) to weigh
    assert [w.other for w in combined] == ["để", "", "bố", ""]


def test_a_garbled_tesseract_line_is_replaced_with_tesseract_marks_kept():
    clean = ["Ủy ban nhân dân tỉnh đề nghị công dân", "bổ sung giấy tờ theo đúng quy định hiện hành",
             "trước ngày mười lăm tháng này tại Bộ phận Một cửa"]
    words = _line("Thực hiện‹c hí đạo của Ủy ban niần", 100, 70)
    lines = [_second("Thực hiện chí đạo của Uy ban nhân", 100, 95)]
    for n, text in enumerate(clean):  # the rest of the page, read alike by both
        words += _line(text, 200 + 50 * n, 95)
        lines.append(_second(text, 200 + 50 * n, 98))
    out = [w for w in combine.combine(words, lines) if w.top == 100]
    # trueocr's words, with Tesseract's "Ủy" where both read the same letters.
    assert [w.text for w in out] == ["Thực", "hiện", "chí", "đạo", "của", "Ủy", "ban", "nhân"]
    assert out[5].other == "Uy"  # trueocr's own reading of it, for the worn-copy model to weigh
    assert {(w.block, w.par, w.line) for w in out} == {(1, 1, 3)}  # in Tesseract's place in the reading order


def test_noise_outside_every_line_is_dropped_and_a_missed_line_is_added():
    words = _line("Độc lập", 100, 96) + [Word(".:'", 700, 400, 20, 20, 20.0, 2, 1, 1)] + _line("Hạnh phúc", 300, 96)
    lines = [_second("Độc lập", 100, 99), _second("Tự do", 200, 97), _second("Hạnh phúc", 300, 99)]
    assert words_to_text(combine.combine(words, lines)).split() == ["Độc", "lập", "Tự", "do", "Hạnh", "phúc"]


def test_a_card_keeps_tesseract_s_lines_and_gains_the_labels_it_missed_in_order():
    # Tesseract read the name and a stray ':' on its line; trueocr also read the labels under the
    # fingerprint boxes, the right one a little higher, and ran a bilingual label together.
    words = _line("Ngày cấp / Date of issue:", 100, 95) + _line("Nguyễn Văn An", 300, 96)
    words.append(Word(":", 1000, 296, 8, 30, 40.0, 1, 1, 300 // 50 + 1))
    lines = [_second("Ngày cấp /Date ofissue:", 100, 99), _second("Ngón trỏ trái", 420, 97, left=500),
             _second("Ngón trỏ phải", 405, 98, left=850), _second("N", 600, 60)]
    out = combine.add_missed(words, lines)
    assert words_to_text(out).split() == ["Ngày", "cấp", "/", "Date", "of", "issue:", "Nguyễn", "Văn", "An", ":",
                                          "Ngón", "trỏ", "trái", "Ngón", "trỏ", "phải"]  # not the unsure 'N'
    assert combine.card_shaped(np.zeros((540, 856), np.uint8)) and not combine.card_shaped(np.zeros((842, 595), np.uint8))


def test_a_card_is_read_row_by_row_whatever_blocks_tesseract_made():
    """Tesseract took the expiry under the photo for a block of its own and put it first; beside it,
    a little lower in the photo, the residence runs on."""
    def at(text: str, left: int, top: int, block: int) -> list[Word]:
        return [Word(t, left + 90 * i, top, 80, 30, 95.0, block, 1, top) for i, t in enumerate(text.split())]

    words = (at("Có giá trị đến:", 40, 400, 1) + at("26/03/2034", 40, 440, 1) + at("CĂN CƯỚC", 300, 60, 2)
             + at("Nơi thường trú:", 300, 350, 3) + at("Ấp Tân Định, An", 400, 404, 4) + at("Giang", 400, 446, 4))
    assert words_to_text(in_rows(words)).splitlines() == [
        "CĂN CƯỚC", "", "Nơi thường trú:", "", "Có giá trị đến:", "", "Ấp Tân Định, An", "", "26/03/2034", "",
        "Giang"]


def test_a_line_taken_from_trueocr_stays_where_most_of_its_words_were():
    # A stray ':' Tesseract put on the line above lies inside the second engine's box of the next line.
    words = _line("Họ và tên", 100, 96) + [Word(":", 900, 142, 8, 30, 40.0, 1, 1, 100 // 50 + 1)]
    words += _line("Ngón trố tráỉ Ngón tro phả", 150, 40)
    lines = [_second("Họ và tên", 100, 99), _second("Ngón trỏ trái Ngón trỏ phải", 150, 97, word_width=120)]
    lines[1].right = 1000
    assert words_to_text(combine.combine(words, lines)).splitlines() == ["Họ và tên", "Ngón trỏ trái Ngón trỏ phải"]


def test_only_pages_tesseract_was_unsure_of_are_read_twice():
    assert not combine.needs_second_reading(_line("Ủy ban nhân dân xã đề nghị", 100, 94))
    assert combine.needs_second_reading(_line("Ủy ban nhân dân xã đề nghị", 100, 70))
    assert combine.needs_second_reading([])


def test_trueocr_reads_a_rendered_page_with_a_box_for_every_word():
    page = as_array(text_page(dpi=300))
    lines = sorted(trueocr_engine.read_lines(page), key=lambda line: line.top)
    assert cer("\n".join(LINES), "\n".join(line.text for line in lines)) < 0.05
    words = [w for line in lines for w in line.words]
    assert len(words) == sum(len(line.split()) for line in LINES)
    for line in lines:  # each word box lies inside its line, left to right, without overlap
        xs = [(w.left, w.left + w.width) for w in line.words]
        assert xs == sorted(xs) and all(a[1] <= b[0] for a, b in zip(xs, xs[1:]))
        assert line.left <= xs[0][0] and xs[-1][1] <= line.right


def test_the_orientation_model_sees_a_page_upside_down():
    page = as_array(text_page(dpi=200, lines=LINES * 4))
    assert trueocr_engine.quarter_turns(page) == 0
    assert trueocr_engine.quarter_turns(np.ascontiguousarray(np.rot90(page, 2))) == 2
    assert trueocr_engine.quarter_turns(np.ascontiguousarray(np.rot90(page, 1))) == 1


def test_lone_toner_specks_go_but_letters_and_their_dots_stay():
    page = as_array(text_page(dpi=200)).copy()
    rng = np.random.default_rng(1)
    clean = page.copy()
    ys, xs = rng.integers(0, page.shape[0], 4000), rng.integers(0, page.shape[1], 4000)
    page[ys, xs] = 30  # one-pixel toner specks all over
    cleaned = cleanup.without_lone_specks(page)
    ink = clean < 128
    assert (cleaned[ink] < 128).mean() > 0.99  # the letters are untouched
    assert ((cleaned < 128) & ~ink).sum() < 0.25 * ((page < 128) & ~ink).sum()  # most specks are gone
    assert np.array_equal(cleanup.without_lone_specks(clean), clean)  # a clean page is left alone


def test_a_line_tesseract_cut_at_a_streak_is_read_as_one_and_the_page_read_twice():
    # Tesseract read the left halves of three lines as one block, then the right halves as another.
    left = [Word(t, 100 + 100 * i, 100 + 50 * n, 80, 30, 95.0, 1, 1, n + 1)
            for n, line in enumerate(["Ủy ban nhân", "dân xã đề", "nghị bổ sung"]) for i, t in enumerate(line.split())]
    right = [Word(t, 420 + 100 * i, 100 + 50 * n, 80, 30, 95.0, 2, 1, n + 1)
             for n, line in enumerate(["dân tỉnh", "nghị công", "giấy tờ"]) for i, t in enumerate(line.split())]
    words = left + right
    assert combine.needs_second_reading(words)  # sure of every word, but its lines are cut
    lines = [_second(" ".join(w.text for w in words if w.top == 100 + 50 * n), 100 + 50 * n, 97) for n in range(3)]
    text = words_to_text(combine.combine(words, lines))
    assert text.splitlines() == ["Ủy ban nhân dân tỉnh", "dân xã đề nghị công", "nghị bổ sung giấy tờ"]


def test_the_two_halves_of_a_header_stay_apart():
    agency = [Word("ỦY", 100, 100, 60, 30, 95.0, 1, 1, 1), Word("BAN", 170, 100, 80, 30, 95.0, 1, 1, 1)]
    motto = [Word("CỘNG", 700, 100, 100, 30, 95.0, 2, 1, 1), Word("HÒA", 810, 100, 80, 30, 95.0, 2, 1, 1)]
    words = agency + motto
    assert not combine.needs_second_reading(words + _line("Độc lập Tự do Hạnh phúc", 300, 95))
    line = _second("ỦY BAN CỘNG HÒA", 100, 97)
    assert combine.combine(words, [line]) == words  # Tesseract's order: agency, then motto


def test_a_page_tesseract_lost_to_a_pattern_is_trueocr_s_in_its_reading_order():
    junk = [Word(t, 100 + 60 * i, 100 + 40 * (i % 5), 40, 30, 70.0, 1 + i % 3, 1, 1)
            for i, t in enumerate("= Z2 ⁄ 7/2 ¬ Ñ `” 22 <<= sàn Xe jj. )ỀN".split())]
    lines = [_second("Ủy ban nhân dân tỉnh", 100, 96), _second("đề nghị công dân bổ sung", 160, 95),
             _second("giấy tờ theo quy định", 220, 97)]
    out = combine.combine(junk, lines)
    assert words_to_text(out).split("\n\n") == ["Ủy ban nhân dân tỉnh", "đề nghị công dân bổ sung",
                                                 "giấy tờ theo quy định"]


def test_a_page_trueocr_lost_keeps_tesseract_s_reading_whole():
    """A photographed card's back: Tesseract read it, trueocr took the pattern for letters (single
    vowels and junk); no line of trueocr's replaces Tesseract's."""
    read = (_line("Đặc điểm nhân dạng / Personal identification:", 100, 80)
            + _line("Nốt ruồi cách 1,5cm trên đầu mày trái", 150, 78)
            + _line("Ngón trỏ trái Ngón trỏ phải", 200, 75))
    lines = [_second("O Dx G) Đặc điểm nhân dạn / Persoal", 100, 60), _second("Nốt ruồi trên đầu", 150, 70),  # alone, preferred: no misread word
             _second("z à A C Ơ Tx Hh qq", 200, 50)]
    assert combine.combine(read, lines) == read


def test_a_speck_just_above_or_below_a_letter_stays_as_its_mark():
    # Letters of 18 px on lines, toner specks all over: a faint dot below a letter or a mark above it is
    # as small as a speck, and stays; one as far beside a letter goes.
    page = np.full((400, 600), 255, np.uint8)
    for top in range(40, 400, 60):
        for left in range(20, 580, 16):
            page[top:top + 18, left:left + 8] = 0
    rng = np.random.default_rng(2)
    page[rng.integers(0, 400, 3000), rng.integers(0, 600, 3000)] = 30
    page[40 + 18 + 4:40 + 18 + 6, 22:24] = 30  # a dot below the first letter, 4 px under it
    page[100 - 6:100 - 4, 38:40] = 30  # a mark above a letter of the second line
    page[160:180, 284:400] = 255  # a gap in the third line after the letter at 276-283
    page[168:170, 290:292] = 30  # beside that letter, 6 px away: a speck
    cleaned = cleanup.without_lone_specks(page)
    assert cleanup.speckled(page)
    assert (cleaned[62:64, 22:24] == 30).all() and (cleaned[94:96, 38:40] == 30).all()
    assert (cleaned[168:170, 290:292] == 255).all()
