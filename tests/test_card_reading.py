"""Reading id cards when the print is small or the scan poor: small print read enlarged, the MRZ's
readings weighed field by field, the name checked against the MRZ, places against the gazetteer."""
import random
from dataclasses import replace

import numpy as np

from digitize.fields.admin import _signature_line
from digitize.fields.cccd import extract_cccd
from digitize.fields.classify import classify
from digitize.fields.gazetteer import fix_agency, fix_place, fix_province
from digitize.fields.labels import Form, find_date
from digitize.fields.names import fix_name, fix_name_by, join_split_words
from ocr import Code, PageText, Word, ocr_page
from ocr.model import SourcePage
from ocr.mrz import make_td1, parse_td1, td1_start
from ocr.small_print import letter_width_mm, reread_small_print
from ocr.tesseract import TesseractEngine
from samples import cccd_card, identity

from .fakes import ReplayEngine


def _page(rows: list[list[tuple[str, int, float]]], codes: list[Code] | None = None, line_h: int = 30) -> PageText:
    """A recognized page from rows of (word, left, confidence); each row one Tesseract line."""
    words = []
    for n, row in enumerate(rows):
        for text, left, conf in row:
            words.append(Word(text, left, 100 + n * line_h * 2, 14 * len(text), line_h, conf, block=1, par=1,
                              line=n + 1))
    return PageText(index=0, width=2480, height=3508, dpi=300, source="ocr", orientation=0, skew=0.0, words=words,
                    codes=codes or [])


def _row(text: str, left: int = 400, conf: float = 95.0) -> list[tuple[str, int, float]]:
    out, x = [], left
    for word in text.split():
        out.append((word, x, conf))
        x += 14 * len(word) + 12
    return out


def test_small_print_is_told_apart_by_the_width_of_its_letters():
    card = [Word("Huyện", 0, 0, 68, 40, 95), Word("Thắng", 80, 0, 66, 40, 95)] * 3  # 1.1-1.2 mm a letter
    page = [Word("quyết", 0, 0, 140, 45, 95), Word("định", 150, 0, 110, 45, 95)] * 3  # about 2.3 mm
    assert letter_width_mm(card, 300) < 1.6 < letter_width_mm(page, 300)
    assert letter_width_mm(card[:2], 300) is None  # too few words to tell
    grey = np.full((200, 300), 255, np.uint8)
    assert reread_small_print(TesseractEngine(), grey, page, 300) is page  # ordinary print: not read again
    # A card photographed up close has small print of many pixels (25 a letter at 600 dpi): enlarging
    # it would shrink it, so it is not read again (one such card's dates came out as 1B5I10I1963).
    close_up = [replace(w, width=w.width * 2 - 10, height=w.height * 2) for w in card]
    assert letter_width_mm(close_up, 600) < 1.6
    engine = ReplayEngine([])
    assert reread_small_print(engine, grey, close_up, 600) is close_up and engine.calls == []


def test_a_card_at_200_dpi_is_read_enlarged_and_its_fields_come_out_right():
    """At 200 dpi a card's 6-point print has capitals of 12 pixels; read as they are, names and
    places lose marks. Read enlarged (the engine does it by itself), the card's fields match."""
    person = identity.citizen(random.Random(3))  # read as it is, one of its fields comes out wrong
    image = cccd_card.render(person, "2021", 200, "noto-sans", qr_covered=True)
    page = ocr_page(SourcePage(index=0, dpi=200, image=np.asarray(image)), keep_image=False).text
    assert letter_width_mm(page.words, 200) < 1.6
    fields = extract_cccd([page])
    truth = cccd_card.truth(person, "2021")
    assert {name: fields[name].value for name in truth if name in fields} == truth


def test_mrz_readings_are_weighed_field_by_field():
    lines = make_td1("068076455306", __import__("datetime").date(1976, 9, 9), "Nam",
                     __import__("datetime").date(2036, 9, 9), "HOÀNG HỮU ĐẠT")
    # The zone re-read with a digit too many in line 1 and a misread birth date; the page's own
    # reading has the birth date right and '6' read the Vietnamese way, as 'ó'.
    reread = [lines[0][:5] + "O" + lines[0][5:29], lines[1].replace("760909", "T60909"), lines[2]]
    own = [lines[0].replace("6", "ó"), lines[1], lines[2]]
    page = _page([_row("Nguyễn Văn Mẫu")] + [_row(t, 300) for t in own],
                 codes=[Code("mrz", "\n".join(reread), [0, 0, 10, 10])])
    fields = extract_cccd([page])
    assert fields["id"].value == "068076455306" and fields["date_of_birth"].value == "1976-09-09"
    assert fields["expiry"].value == "2036-09-09" and fields["sex"].value == "Nam"
    assert fields["full_name"].value == "HOANG HUU DAT" and fields["full_name"].confidence == 0.5  # no printed name


def test_a_check_digit_passing_by_chance_does_not_vouch_for_a_misshapen_field():
    lines = make_td1("068076455306", __import__("datetime").date(1976, 9, 9), "Nam", None, "LÊ AN")
    assert parse_td1(lines).checks["expiry"] and parse_td1(lines).valid
    shifted = [lines[0], "7Z" + lines[1][1:29], lines[2]]  # every field moved one place
    assert not any(parse_td1(shifted).checks[k] for k in ("birth", "expiry", "composite"))
    assert td1_start(["QUANLYHANHCHINH", "ị DVNM" + lines[0][5:], lines[1], lines[2]]) == 1


def test_the_mrz_puts_back_a_lost_space_and_a_misread_word_but_never_touches_the_qr_name():
    import datetime
    lines = make_td1("095159514772", datetime.date(1959, 10, 6), "Nữ", None, "LÝ THU SƠN")
    mrz = Code("mrz", "\n".join(lines), [0, 0, 10, 10])
    label = _row("Họ, chữ đệm và tên khai sinh / Full name:")
    joined = extract_cccd([_page([label, _row("LÝ THUSƠN")], [mrz])])["full_name"]
    assert joined.value == "LÝ THU SƠN" and joined.agrees == ["mrz"]
    lines = make_td1("095159514772", datetime.date(1959, 10, 6), "Nữ", None, "ĐẶNG KIM HÀ")
    filler_as_k = [lines[0], lines[1], lines[2].replace("KIM<HA", "KIMKHA")]
    mrz = Code("mrz", "\n".join(filler_as_k), [0, 0, 10, 10])
    fixed = extract_cccd([_page([label, _row("ĐẶNG KIMI HÀ")], [mrz])])["full_name"]
    assert fixed.value == "ĐẶNG KIM HÀ" and fixed.confidence <= 0.8
    qr = Code("qr", "095159514772||Đặng Kim Hà|06101959|Nữ|Thôn 1, Xã An Thạnh, Huyện Kỳ Anh, Hà Tĩnh|01012022",
              [0, 0, 10, 10])
    assert extract_cccd([_page([label, _row("ĐẶNG KIMI HÀ")], [mrz, qr])])["full_name"].value == "ĐẶNG KIM HÀ"
    assert fix_name_by("BÙI THỊ HA1", "BUI THI HAI") == "BÙI THỊ HẢI"
    # A K closing a word is filler: no Vietnamese syllable ends in K.
    assert parse_td1([lines[0], lines[1], "TRAN<<QUOC<TUANK<<<<<<<<<<<<<<"]).name == "TRAN QUOC TUAN"


def test_the_name_is_found_by_its_mrz_spelling_when_its_label_is_unreadable():
    import datetime
    lines = make_td1("010151787538", datetime.date(1951, 11, 9), "Nữ", None, "VÕ THỊ HẢI")
    page = _page([_row("ytgÀ3/22g/Ả8 nu)", conf=20), _row("VÕ THỊ HAI")], [Code("mrz", "\n".join(lines), [0, 0, 1, 1])])
    name = extract_cccd([page])["full_name"]
    assert (name.value, name.source, name.agrees) == ("VÕ THỊ HẢI", "ocr", ["mrz"])


def test_the_sex_comes_from_the_id_when_no_source_gives_it():
    page = _page([_row("Số định danh cá nhân / Personal identification number:"), _row("052170969664"),
                  _row("Giới tính / Sex: NŒ")])
    fields = extract_cccd([page])
    assert fields["sex"].value == "Nữ" and fields["sex"].confidence < fields["id"].confidence


def test_places_are_put_right_part_by_part():
    assert fix_place("Xã Hòa Bình, Huyện Cấm Xuyên, Thái Nguyên") == "Xã Hòa Bình, Huyện Cẩm Xuyên, Thái Nguyên"
    assert fix_place("Tố 5, Xã Phước Hải, Huyện Báo Thắng, Bắc Minh") == "Tổ 5, Xã Phước Hải, Huyện Bảo Thắng, Bắc Ninh"
    assert fix_place("Khu phế 2, Xã Đông Hưng, Huyện Yên Định, Kon Tum") == \
        "Khu phố 2, Xã Đông Hưng, Huyện Yên Định, Kon Tum"  # Đông Hưng is real: not made Đồng
    assert fix_place("Xóm Đông, Xã Tiên Phong") == "Xóm Đông, Xã Tiên Phong"
    # A worn card copy lost the space between two words of a name.
    assert fix_place("Bản NàLơi, Xã An Thạnh, Huyện KỳAnh, Điện Biên") == \
        "Bản Nà Lơi, Xã An Thạnh, Huyện Kỳ Anh, Điện Biên"
    assert fix_place("Trạm Ý tế Xã Tân Thành, Huyện Mỹ Xuyên, Thái Nguyên") == \
        "Trạm Y tế Xã Tân Thành, Huyện Mỹ Xuyên, Thái Nguyên"  # a birth facility, too
    # Only the marks differ from Thanh Hóa, one letter from Khánh Hòa: the marks win.
    assert fix_province("Thành Hóa") == "Thanh Hóa"
    assert fix_agency("ỦY BAN NHÂN DÂN TỈNH THANH HÓA") == "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"


def test_an_address_ends_at_its_province_when_the_next_label_is_unreadable():
    rows = [_row("Quê quán / Place of origin:"), _row("Xã Hòa Bình, Huyện Yên Định, Bạc Liêu"),
            _row("Nơi đưượng trụ Puace® of res4dev+", conf=40), _row("Tổ 5, Xã An Thạnh, Huyện Hòa Vang, Ninh Bình")]
    assert extract_cccd([_page(rows)])["place_of_origin"].value == "Xã Hòa Bình, Huyện Yên Định, Bạc Liêu"
    wrapped = [_row("Quê quán / Place of origin:"), _row("Xã Tây Sơn, Huyện Tuy An,"), _row("Bình Định")]
    assert extract_cccd([_page(wrapped)])["place_of_origin"].value == "Xã Tây Sơn, Huyện Tuy An, Bình Định"
    speck = [_row("Nơi cư trú / Place of residence:"), _row("Bản Nà Lơi, Xã Đông Hưng, Huyện Bảo Thắng, Điện Biên:")]
    assert extract_cccd([_page(speck)])["residence"].value == \
        "Bản Nà Lơi, Xã Đông Hưng, Huyện Bảo Thắng, Điện Biên"  # a speck read as a colon ends no value


def test_specks_before_a_label_or_a_value_and_a_line_split_in_two():
    rows = [_row("Týï_x nh", 150, 5) + _row("Nơi thường trú / Place of residence:"),
            _row("Lộ » 2bŠ", 150, 10) + _row("Thôn 3, Xã Long Hòa, Huyện Bảo Thắng,")]
    page = _page(rows)
    top = page.words[-1].top  # the row's last words, which Tesseract read as a line of their own
    page.words += [Word("Hà", 918, top, 28, 30, 95, block=2, par=1, line=1),
                   Word("Tĩnh", 958, top, 56, 30, 95, block=2, par=1, line=1)]
    assert "Thôn 3, Xã Long Hòa, Huyện Bảo Thắng, Hà Tĩnh" in [c.text for c in Form.of(page).columns]
    assert extract_cccd([page])["residence"].value == "Thôn 3, Xã Long Hòa, Huyện Bảo Thắng, Hà Tĩnh"


def test_dates_with_a_slash_lost_and_numbers_without_one():
    assert find_date("Ngày, tháng, năm sinh: 2403/2015") == ("2015-03-24", "2403/2015")
    assert find_date("1234/2015") is None
    assert find_date("Ngày, tháng, năm đăng ký: 280612008") == ("2008-06-28", "280612008")  # the second read as 1
    assert find_date("CMND: 250317495") is None  # an old id's nine digits, no year of a birth or a paper
    from digitize.fields.admin import extract_admin
    header = _page([_row("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), _row("TỈNH LONG AN"),
                    _row("Số: 776CT-UBND Long An, ngày 02 tháng 12 năm 2023"), _row("CHỈ THỊ")])
    assert extract_admin([header])["number"].value == "776/CT-UBND"


def test_signer_lines_lose_seal_specks_and_get_split_words_back():
    assert _signature_line(": Š Phan Thu Quân") == "Phan Thu Quân"
    assert _signature_line("Phan ThịLan") == "Phan Thị Lan"
    assert _signature_line("I.ý Hữu Thảo") == "Lý Hữu Thảo"  # L read as I with a speck
    assert _signature_line("Inh Thảo") == "Inh Thảo"  # "Lnh" is no family name
    assert join_split_words("Bùi T hu Lợi") == "Bùi Thu Lợi" and join_split_words("Lê A B") == "Lê A B"


def test_an_mrz_read_with_a_line_of_print_above_it_still_classifies_the_card():
    import datetime
    lines = make_td1("010151787538", datetime.date(1951, 11, 9), "Nữ", None, "VÕ THỊ HẢI")
    code = Code("mrz", "\n".join(["QUANLYHANMCHINGVETRATTXAHOT", *lines]), [0, 0, 1, 1])
    assert classify([_page([_row("rác")], [code])])[0] == "cccd"


def test_a_worn_card_copy_whose_zone_failed_its_check_digits_is_still_a_card():
    """A speckled photocopy: two labels read, the rest garbled, the zone too poorly for its checks."""
    rows = [_row("CĂN CƯỚC"), _row("IQENTIFY CARD"), _row("Ngày,tháng. năm sinh/Date ofbirthi'03/07/1995"),
            _row("Nơi cưfrú APlzce ofresidence:"), _row("1DVNM1951121639010195112163k44"),
            _row("-9507050F5507058 NHX<<<<<€<<(<4")]
    assert classify([_page(rows)])[0] == "cccd"


def test_labels_are_found_whatever_spaces_a_worn_copy_lost_and_short_ones_not_inside_words():
    from digitize.fields.labels import has_label
    from digitize.fields.model import fold

    assert has_label("Nơi cưfrú APlzce ofresidence:", fold("Nơi cư trú"))
    assert has_label("Ngay,thang_ năm hýthe-Date ofexpiry: '03/07/2035", fold("Date of expiry"))
    assert not has_label("Ấp Tân Dinh, Xã Tây Sơn, Huyện Thuận Châu", fold("Số / No"))


def test_an_address_read_without_spaces_after_its_commas_is_still_put_right():
    assert fix_place("Thôn 1,Xã An Thạnh, Huyện Đồng Phú,Lâm Đồng") == "Thôn 1, Xã An Thạnh, Huyện Đồng Phú, Lâm Đồng"


def test_a_birth_date_whose_label_was_lost_is_the_one_date_in_the_ids_year_of_birth():
    rows = [_row("CĂN CƯỚC CÔNG DÂN"), _row("Citizen Identity Card"), _row("So/No:027188975311"),
            _row("Họ và tên Fulln"), _row("PHAN THU LAN"), _row("hay sĩ 12/04/1988"),
            _row("Có giá trị đến:"), _row("12/04/2028")]
    fields = extract_cccd([_page(rows)])
    assert fields["id"].value == "027188975311"  # 1988 by its 4th to 6th digits
    assert fields["date_of_birth"].value == "1988-04-12" and fields["date_of_birth"].confidence < 0.8
    other_year = [r for r in rows if "1988" not in " ".join(w for w, _, _ in r)] + [_row("hay sĩ 12/04/1987")]
    assert "date_of_birth" not in extract_cccd([_page(other_year)])


def test_a_page_whose_qr_code_is_upside_down_is_turned_over(monkeypatch):
    """The back of a card alone on a sheet gives the orientation tests little text; its QR code
    says which way up it is."""
    import random

    import numpy as np
    from PIL import Image

    from ocr import recognize
    from ocr.model import PreparedPage, SourcePage
    from samples import cccd_card, identity

    from .data.record_words import RECORDED
    from .fakes import ReplayEngine

    person = identity.citizen(random.Random(8))
    _front, back = cccd_card.sides(person, "2024", 300, "noto-sans")
    sheet = Image.new("RGB", (2480, 3508), (255, 255, 255))
    sheet.paste(back, (1240 - back.width // 2, 470))
    upside_down = np.asarray(sheet.rotate(180))

    def left_as_it_is(page, engine):  # orientation tests that could not tell
        grey = np.ascontiguousarray(upside_down[..., 0])
        return PreparedPage(index=0, dpi=300, display=upside_down, for_ocr=grey, orientation=0, skew=0.0)

    monkeypatch.setattr(recognize, "prepare_page", left_as_it_is)
    result = recognize.ocr_page(SourcePage(index=0, dpi=300, image=upside_down), ReplayEngine.from_json(RECORDED))
    assert result.text.orientation == 180
    assert [c.orientation for c in result.text.codes if c.kind == "qr"] == [0]
    assert result.text.codes[0].text.startswith(person.id12)


def test_a_name_whose_label_was_garbled_is_the_line_of_names_between_the_id_and_the_birth_date():
    rows = [_row("CĂN CƯỚC"), _row("Số định danh cá nhân / Personal identification number"), _row("052304239650"),
            _row("Hộ. chữ đệm và đêm!|"), _row("VÕ NGỌC THẢO"),
            _row("Ngày, tháng, năm sinh / Date of birth: 27/02/2004")]
    name = extract_cccd([_page(rows)])["full_name"]
    assert name.value == "VÕ NGỌC THẢO" and name.confidence < 0.9  # flagged for the clerk to confirm
    rows[4] = _row("Seo chạm C:1cm")  # no line of names there: nothing is made up
    assert "full_name" not in extract_cccd([_page(rows)])


def test_an_expiry_of_no_end_is_read_even_with_its_last_letter_lost():
    rows = [_row("CĂN CƯỚC"), _row("Số định danh cá nhân / Personal identification number"), _row("014156390508"),
            _row("Ngày, tháng, năm hết hạn /Date ofexpiry Không thời hạ")]
    assert extract_cccd([_page(rows)])["expiry"].value == "Không thời hạn"


def test_a_printed_name_read_too_badly_gives_way_to_the_zones():
    import datetime
    zone = make_td1("042204831348", datetime.date(2004, 7, 8), "Nam", None, "PHAN MINH TÂM")
    rows = [_row("CĂN CƯỚC"), _row("Số định danh cá nhân / Personal identification number"), _row("042204831348"),
            _row("Họ, chữ đệm và tên khai sinh / Full name:"), _row("PHAN N MWN ÂM"),
            _row("Ngày, tháng, năm sinh / Date of birth: 08/07/2004"),
            _row("1DW" + zone[0][3:]), _row(zone[1]), _row(zone[2].replace("<", "K"))]  # "IDV", fillers misread
    name = extract_cccd([_page(rows)])["full_name"]
    assert name.value == "PHAN MINH TÂM" and name.confidence < 0.9


def test_the_zones_nationality_counts_where_its_birth_date_checks_though_the_composite_does_not():
    import datetime
    zone = make_td1("040064443526", datetime.date(1964, 12, 11), "Nam", datetime.date(2024, 12, 11), "LÝ ĐỨC HƯỜNG")
    wrong_composite = zone[1][:29] + str((int(zone[1][29]) + 1) % 10)
    rows = [_row("CĂN CƯỚC"), _row(zone[0]), _row(wrong_composite), _row(zone[2])]
    nationality = extract_cccd([_page(rows)])["nationality"]
    assert nationality.value == "Việt Nam" and nationality.source == "mrz" and nationality.confidence < 0.9


def test_a_value_read_apart_from_its_label_on_its_row_or_under_a_mark_is_still_its_labels():
    """A worn card copy: "/ Nationality" lost, leaving its value a column of its own; the skewed
    expiry value read a few pixels above its label (sorted before it); a tone mark over the place of
    origin makes its box start on the label's line."""
    rows = [_row("CĂN CƯỚC"), _row("Số định danh cá nhân / Personal identification number"), _row("086152037307"),
            _row("Giới tính / Sex: Nữ") + _row("Quốc tịch", 900) + _row("maiity Việt Nam", 1300),
            _row("Quê quán / Place of origin:")]
    page = _page(rows)
    label = page.words[-1]
    page.words += [Word(t, x, label.top + 10, 14 * len(t), 50, 95.0, block=3, par=1, line=1)  # 50: a mark's height
                   for t, x, _ in _row("Xã Hòa Bình, Huyện Mỹ Xuyên, Sóc Trăng")]
    top = label.top + 120
    page.words += [Word(t, x, top + 6, 14 * len(t), 30, 95.0, block=4, par=1, line=1)
                   for t, x, _ in _row("Ngày, tháng, năm hết hạn")]
    page.words += [Word(t, x, top, 14 * len(t), 30, 95.0, block=5, par=1, line=1)
                   for t, x, _ in _row("Date of expiry: Không thời hạn", 800)]
    fields = extract_cccd([page])
    assert fields["nationality"].value == "Việt Nam"
    assert fields["expiry"].value == "Không thời hạn"
    assert fields["place_of_origin"].value == "Xã Hòa Bình, Huyện Mỹ Xuyên, Sóc Trăng"


def test_an_expiry_whose_label_was_lost_is_the_last_date_on_the_card_after_birth_and_issue():
    rows = [_row("CĂN CƯỚC CÔNG DÂN"), _row("Số / No.: 079077012345"), _row("Họ và tên / Full name:"),
            _row("HOÀNG THỊ CƯƠNG"), _row("Ngày sinh / Date of birth: 21/08/1977"), _row("21/06/2037", 200),
            _row("Ngày, tháng, năm / Date, month, year: 19/10/2022")]
    expiry = extract_cccd([_page(rows)])["expiry"]
    assert expiry.value == "2037-06-21" and expiry.confidence < 0.8
    rows[5] = _row("21/06/2021", 200)  # before the issue date: no expiry
    assert "expiry" not in extract_cccd([_page(rows)])


def test_name_words_run_together_by_a_lost_space_or_a_speck_are_apart_again():
    assert fix_name("DƯƠNG THỊLAN") == "DƯƠNG THỊ LAN"
    assert fix_name("NGÔ THANH.QUẪN") == "NGÔ THANH QUÂN"
    assert fix_name("LÊ NGỌCÁNH") == "LÊ NGỌC ÁNH"  # not NGÔ CẢNH: the cut that keeps the marks read
    assert fix_name("HOÀNG KHANG") == "HOÀNG KHANG"  # a name word that is no two names stays whole
