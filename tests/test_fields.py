"""Header fields of administrative documents from recognized text."""
from digitize.fields import extract_fields
from ocr import PageText, Word


def _page(lines: list[str]) -> PageText:
    words = [Word(t, 0, 0, 10, 10, 95.0, 1, 1, i) for i, line in enumerate(lines) for t in line.split()]
    return PageText(index=0, width=100, height=100, dpi=300, source="ocr", orientation=0, skew=0.0, words=words)


def test_admin_header_fields():
    page = _page(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH KON TUM Độc lập - Tự do - Hạnh phúc",
                  "Số: 1311/KH-UBND Kon Tum, ngày 08 tháng 5 năm 2023", "KẾ HOẠCH", "Triển khai số hóa hồ sơ"])
    result = extract_fields([page])
    assert result.kind == "admin" and result.classification.kind == "admin"
    f = result.to_json()["fields"]
    assert f["number"]["value"] == "1311/KH-UBND"
    assert f["place"]["value"] == "Kon Tum" and f["date"]["value"] == "2023-05-08"
    assert f["doc_type"]["value"] == "KẾ HOẠCH" and f["number"]["source"] == "ocr"


def test_other_documents_and_impossible_dates():
    assert extract_fields([_page(["Hóa đơn bán lẻ", "Tổng cộng 120.000 đồng"])]).kind == "other"
    page = _page(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 5/QĐ-UBND Hà Nội, ngày 31 tháng 02 năm 2024"])
    assert "date" not in extract_fields([page]).fields


def test_header_fields_of_a_generated_page_match_its_truth():
    """A rendered Decree 30 page, recognized for real: the six header fields of the corpus JSON."""
    import random

    import numpy as np

    from ocr import ocr_page
    from ocr.model import SourcePage
    from samples.admin_page import AdminPage, render

    page = AdminPage.random(random.Random(11), "liberation-serif", sentences=6)
    image, truth = render(page, 300)
    result = ocr_page(SourcePage(index=0, dpi=300, image=np.asarray(image)), keep_image=False)
    found = extract_fields([result.text])
    assert found.classification.kind == "admin"
    got = {name: found.value(name) for name in truth["fields"]}
    assert got == truth["fields"]
    assert found.fields["signer"].box and 0 < found.fields["agency"].confidence <= 1


def test_a_place_the_gazetteer_does_not_know_is_flagged():
    from digitize.fields.gazetteer import place_known
    from digitize.web.labels import field_name

    assert place_known("Thôn 3, Xã Tây Sơn, Huyện Mỹ Xuyên, Ninh Bình")
    assert not place_known("Thôn 3, Xã Tây Sơn, Huyện Mỹ Xuyen, Ninh Bình")  # a misread district
    assert not place_known("Thôn 3, Xã Tây Sơn, Huyện Mỹ Xuyên, Ninh Binh")
    # A birth certificate has a place of birth and a place of registration; a card's "place of birth"
    # is where the birth was registered.
    assert field_name("place_of_birth", "birth") == "Nơi sinh"
    assert field_name("registering_authority", "birth") == "Nơi đăng ký khai sinh"
    assert field_name("place_of_birth", "cccd") == "Nơi đăng ký khai sinh"


def test_a_birth_certificate_line_whose_colon_a_worn_copy_lost_still_gives_its_value():
    from digitize.fields.birth import extract_birth

    page = _page(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: LÝ ĐỨC KHÁNH", "Số định danh cá nhân: 094216559664",
                  "Họ, chữ đệm, tên người mẹ HOÀNG THANH HÙNG", "Họ, chữ đệm, tên người cha: LÝ ĐỨC BÌNH"])
    fields = extract_birth([page])
    assert fields["child_name"].value == "LÝ ĐỨC KHÁNH"
    assert fields["mother_name"].value == "HOÀNG THANH HÙNG" and fields["father_name"].value == "LÝ ĐỨC BÌNH"


def test_a_registering_authority_gets_its_commas_and_its_province_back():
    from digitize.fields.gazetteer import fix_authority

    assert fix_authority("Ủy ban nhân dân Xã Quang Trung, Huyện Yên Định; Tỉnh Kon Tùm") == \
        "Ủy ban nhân dân Xã Quang Trung, Huyện Yên Định, Tỉnh Kon Tum"
    assert fix_authority("Ủy ban nhân dân Xã Quang Trung,Huyện Đồng Phú, Tỉnh Đắk Lắk") == \
        "Ủy ban nhân dân Xã Quang Trung, Huyện Đồng Phú, Tỉnh Đắk Lắk"


def test_an_address_on_an_application_is_put_right_by_the_gazetteer_and_other_values_are_not():
    page = _page(["ĐƠN ĐỀ NGHỊ XÁC NHẬN NƠI CƯ TRÚ", "Kính gửi: Ủy ban nhân dân Xã Bình Minh",
                  "Địa chỉ liên hệ: Ấp Tân Định,Xã An Thạnh, Huyện Gò Quao, Đông Tháp", "Số điện thoại: 0912345678"])
    fields = extract_fields([page]).fields
    assert fields["dia_chi_lien_he"].value == "Ấp Tân Định, Xã An Thạnh, Huyện Gò Quao, Đồng Tháp"
    assert fields["so_dien_thoai"].value == "0912345678"


def test_an_agency_run_into_the_national_name_is_still_the_agency():
    """The gap between the two header columns read too narrow: one line for both."""
    page = _page(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨAVIỆT NAM", "TỈNH ĐIỆN BIÊN Độc lập - Tự do - Hạnh phúc",
                  "Số: 1559/TB-UBND Điện Biên, ngày 08 tháng 12 năm 2019", "THÔNG BÁO"])
    assert extract_fields([page]).fields["agency"].value == "ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN"
    glued = _page(["ỦY BAN NHÂN ĐÂN_CỘNG HOA XÃ HỌI CHỦ NGHĨA VIỆT NAM", "TỈNH HÀ TĨNH Độc lập - Tự do - Hạnh phúc",
                   "Số: 1444/TB-UBND Hà Tĩnh, ngày 10 tháng 12 năm 2026", "THÔNG BÁO"])  # a rule read as "_"
    assert extract_fields([glued]).fields["agency"].value == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"


def test_an_agency_whose_first_line_has_a_misread_mark_is_one_agency_with_its_province():
    page = _page(["ỦY BAN NHẦN DÂN", "TĨNH ĐẮK LẮK", "Số: 1955/HD-UBND Đắk Lắk, ngày 06 tháng 02 năm 2020", "HƯỚNG DẪN"])
    fields = extract_fields([page]).fields
    assert fields["agency"].value == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK" and "parent_agency" not in fields


def test_a_number_whose_so_was_read_with_another_mark_still_gives_the_number_and_the_agency():
    page = _page(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc",
                  "Sổ:527/CT-UBND Lâm Đồng, ngày 21 tháng 05 năm 2021", "CHỈ THỊ"])
    fields = extract_fields([page]).fields
    assert fields["number"].value == "527/CT-UBND" and fields["agency"].value == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


def test_a_type_read_with_wrong_marks_and_a_place_after_a_speck_are_still_found():
    page = _page(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc",
                  "Số: 2776/CT-UBND :Lâm Đồng, ngày 19 tháng 04 năm 2021", "CHÍ THỊ"])
    fields = extract_fields([page]).fields
    assert fields["doc_type"].value == "CHỈ THỊ" and fields["place"].value == "Lâm Đồng"
    assert fields["number"].value == "2776/CT-UBND"


def test_a_symbol_one_letter_from_the_printed_types_and_a_unit_glued_to_its_name_are_put_right():
    page = _page(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNHLONG AN Độc lập - Tự do - Hạnh phúc",
                  "Số: 1484/CT-UBND Long An, ngày 19 tháng 04 năm 2021", "CHƯƠNG TRÌNH"])
    fields = extract_fields([page]).fields
    assert fields["number"].value == "1484/CTr-UBND"  # CT is CHỈ THỊ's; this paper is a CHƯƠNG TRÌNH
    assert fields["agency"].value == "ỦY BAN NHÂN DÂN TỈNH LONG AN"
