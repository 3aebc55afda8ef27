"""A worn copy's misread marks mended by the words around them (ocr/lexicon.py), with the real
tables: wordfreq's syllable frequencies and the Viet74K word list underthesea ships."""
from dataclasses import replace

import pytest

from ocr.lexicon import mend_marks, split_glued, without_lone_specks
from ocr.model import Word, words_to_text


def _words(text: str) -> list[Word]:
    """One block of text, a line per line of `text`, each word with its own box."""
    words = []
    for n, line in enumerate(text.splitlines()):
        words += [Word(text=t, left=10 + 90 * i, top=40 * n, width=80, height=30, conf=96.0 - i, block=1, par=1,
                       line=n + 1) for i, t in enumerate(line.split())]
    return words


def _mended(text: str) -> str:
    return words_to_text(mend_marks(_words(text)))


@pytest.mark.parametrize("read, meant", [
    ("tô chức thực hiện", "tổ chức thực hiện"),  # the hook of ổ lost
    ("hô sơ được tiếp nhận", "hồ sơ được tiếp nhận"),
    ("các giây tờ", "các giấy tờ"),
    ("kho quản lý đữ liệu", "kho quản lý dữ liệu"),  # a speck read as the bar of đ
    ("đề nghi giái quyết", "đề nghị giải quyết"),  # two syllables wrong in a row
    ("thu tục hành chính", "thủ tục hành chính"),
    ("nguôn ngân sách", "nguồn ngân sách"),
    ("kiếm tra chất lượng", "kiểm tra chất lượng"),
])
def test_misread_marks_are_mended_by_the_words_around_them(read, meant):
    assert _mended(read) == meant


def test_a_word_split_over_two_lines_is_still_a_word():
    assert _mended("trả lại\nhô sơ") == "trả lại\nhồ sơ"


def test_right_readings_and_words_with_no_better_reading_are_kept():
    for text in ("thủ tục hành chính", "người dân nộp hồ sơ", "kết quả giải quyết", "Hóa đơn"):
        assert _mended(text) == text


def test_names_headings_and_numbers_are_never_changed():
    """Runs of capitalised words are names and places, all-capital words headings: the lists do not
    know them."""
    for text in ("ông Tô Chức", "TÔ CHỨC", "Hô Sơ", "Nguyễn Văn Tô chức", "số 12 hô 3"):
        assert _mended(text) == text


def test_a_capitalised_word_heading_a_phrase_is_mended_and_keeps_its_capital():
    assert _mended("Tô chức thực hiện") == "Tổ chức thực hiện"
    assert _mended("Kiếm tra chất lượng") == "Kiểm tra chất lượng"


def test_a_misread_that_is_no_syllable_at_all_is_mended_too():
    assert _mended("các nguõn vốn") == "các nguồn vốn"


def test_punctuation_ends_a_run_of_words_and_stays_where_it_was():
    assert _mended("tô, chức") == "tô, chức"  # no word across a comma
    assert _mended("(tô chức).") == "(tổ chức)."


def test_only_the_text_changes_the_boxes_and_confidences_stay():
    before = _words("tô chức thực hiện")
    after = mend_marks(before)
    assert [w.text for w in after] == ["tổ", "chức", "thực", "hiện"]
    assert [(w.left, w.top, w.width, w.height, w.conf, w.line) for w in after] == \
        [(w.left, w.top, w.width, w.height, w.conf, w.line) for w in before]


def test_a_tone_is_written_where_the_usual_rule_puts_it_and_a_reading_keeps_its_own():
    """Tones on "oa", "uy" go on the first vowel in the older rule most documents follow; a syllable
    the engine read with its tone on the other vowel is matched all the same and left as read."""
    assert _mended("thuy lợi") == "thủy lợi"
    assert _mended("hoá đơn") == "hoá đơn"


@pytest.mark.parametrize("level, expected", [(0, "tô chức thực hiện"), (4, "tổ chức thực hiện")])
def test_only_a_worn_copy_has_its_marks_mended(tmp_path, level, expected):
    """A clean scan's marks are Tesseract's: the words around them could trade a right reading for a
    commoner one. A worn copy (level 4 of the generator: thinned strokes, toner specks) is mended."""
    import random

    from ocr import load_pages, ocr_page
    from samples.generate import make_page, save_image

    from .fakes import ReplayEngine

    img, truth = make_page(random.Random(7), level, "noto-serif")
    path = tmp_path / "page.jpg"
    save_image(img, path, truth["dpi"], 90)
    engine = ReplayEngine(_words("tô chức thực hiện"))
    result = ocr_page(load_pages(path.read_bytes())[0], engine, keep_image=False)
    assert result.text.text == expected


def test_the_second_engines_marks_are_weighed_at_a_lower_cost():
    """Tesseract read "dân" and "mang", trueocr "dẫn" and "mạng": with only the tables, "dân" (the
    commoner syllable) stays; with trueocr's reading, the dictionary word "hướng dẫn" wins."""
    words = _words("hướng dân các đơn vị")
    assert words_to_text(mend_marks(words)) == "hướng dân các đơn vị"
    words[1] = replace(words[1], other="dẫn")
    assert words_to_text(mend_marks(words)) == "hướng dẫn các đơn vị"
    names = _words("ông Trần Văn Tâm")  # names keep their marks, whatever the other engine read
    names[3] = replace(names[3], other="Tầm")
    assert words_to_text(mend_marks(names)) == "ông Trần Văn Tâm"


def test_words_glued_at_a_colon_are_cut_apart_and_mended_and_times_are_not():
    words = _words("Kính gửi:Úy ban nhân dân lúc 10:30")
    mended = mend_marks(words)
    assert words_to_text(mended) == "Kính gửi: Ủy ban nhân dân lúc 10:30"
    glued = words[1]
    cut = [w for w in mended if w.text in ("gửi:", "Ủy")]
    assert cut[0].left == glued.left and cut[1].left + cut[1].width == glued.left + glued.width


def test_words_glued_at_a_full_stop_or_comma_are_cut_apart_and_a_speck_before_a_number_dropped():
    words = _words("quy định.Hồ sơ năm 2024,toàn tỉnh trước ngày.25 hằng tháng tại dichvucong.gov.vn tỷ lệ 97,8%")
    assert words_to_text(split_glued(words)) == ("quy định. Hồ sơ năm 2024, toàn tỉnh trước ngày 25 hằng tháng "
                                                  "tại dichvucong.gov.vn tỷ lệ 97,8%")


def test_two_syllables_glued_without_a_space_are_cut_apart_and_words_are_not():
    words = _words("bản quétcho công dân, chi phítuân thủ; xe ôtô, Full name, video")
    assert words_to_text(split_glued(words)) == "bản quét cho công dân, chi phí tuân thủ; xe ôtô, Full name, video"


def test_specks_read_as_punctuation_standing_alone_in_a_sentence_are_dropped():
    words = _words("trước ngày 25 . hằng tháng theo đề nghị : phản ánh về số.30/2020/NĐ-CP Độc lập - Tự do ; Ông")
    assert words_to_text(split_glued(without_lone_specks(words))) == \
        "trước ngày 25 hằng tháng theo đề nghị phản ánh về số 30/2020/NĐ-CP Độc lập - Tự do ; Ông"
