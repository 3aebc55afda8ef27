"""CCCD cards and birth certificates: the MRZ and id rules on their own, then generated papers
recognized for real (Tesseract, zxing-cpp) and compared with their ground truth."""
import random
from datetime import date

import numpy as np
import pytest

from digitize.fields import extract_fields
from digitize.fields.citizen_id import problems
from digitize.fields.gazetteer import fix_agency, fix_province
from digitize.fields.names import fix_ethnicity, fix_name
from ocr import ocr_page
from ocr.model import SourcePage
from ocr.mrz import check_digit, checked_zone, make_td1, parse_td1
from samples import application_form, birth_certificate, cccd_card, identity


def test_check_digits_of_the_icao_specimen():
    # ICAO Doc 9303 part 5, TD1 specimen: document number, birth and expiry dates.
    assert (check_digit("D23145890"), check_digit("740812"), check_digit("120415")) == ("7", "2", "9")


def test_mrz_round_trip_and_repairs_of_common_misreads():
    lines = make_td1("070203012345", date(2003, 5, 7), "Nữ", date(2028, 5, 7), "NGUYỄN THỊ ĐẠT")
    assert [len(ln) for ln in lines] == [30, 30, 30] and lines[2].startswith("NGUYEN<<THI<DAT<")
    td1 = parse_td1(lines)
    assert td1.valid and td1.id12 == "070203012345" and (td1.birth, td1.sex, td1.name) == ("030507", "Nữ",
                                                                                          "NGUYEN THI DAT")
    # Filler read as K, a '<' too many, O for 0 in a date: still valid once repaired.
    misread = [lines[0], lines[1][:6].replace("0", "O") + lines[1][6:20] + "<<K<" + lines[1][22:], lines[2]]
    assert parse_td1(misread).valid
    broken = [lines[0], lines[1].replace("0305071", "0305081"), lines[2]]
    assert not parse_td1(broken).checks["birth"]
    # The double filler after the family name read as one: still three names, not one with '<' in it.
    assert parse_td1([lines[0], lines[1], "NGUYEN<THI<DAT<<<<<<<<<<<<<<<<"]).name == "NGUYEN THI DAT"


def test_the_zone_in_the_text_layer_is_what_its_check_digits_vouch_for():
    printed = make_td1("001194756474", date(1994, 4, 8), "Nữ", date(2034, 4, 8), "PHAN NGỌC TÂM")
    # As a photographed card's back was read: the page's Vietnamese reading took 6 for ó and the
    # filler for K; the reading with the MRZ alphabet took the composite check digit for a '<'.
    own = [printed[0].replace("6", "ó"), printed[1], "PHANKKNGOCKTAMKKKKKKKKKKKKxKxk"]
    reread = [printed[0], printed[1][:20] + "K" + printed[1][21:29] + "<", "PHAN<<NGOC<KTAM<<<<<<<<<<<<"]
    assert checked_zone(own, reread) == printed
    # Nothing vouches for a zone whose digits no reading got right: the text stays as read.
    wrong = printed[1].replace("940408", "940409")
    assert checked_zone([printed[0], wrong, printed[2]], [printed[0], wrong, printed[2]]) is None


def test_id_structure_against_sex_and_birth_year():
    assert problems("070303012345", sex="Nữ", birth_year=2003) == []  # 3: a woman born in the 2000s
    assert problems("070303012345", sex="Nam", birth_year=2003) == ["sex_mismatch"]
    assert problems("070303012345", sex="Nữ", birth_year=1903) == ["birth_year_mismatch"]
    assert problems("999203012345") == ["unknown_province_code"]
    assert problems("07020301234") == ["not_12_digits"]


def test_closed_lists_put_marks_back_only_where_a_known_word_fits():
    assert fix_name("NGUYÊN VĂN QUẦN") == "NGUYỄN VĂN QUÂN"
    assert fix_name("TRẦN THỊ NGUYÊN") == "TRẦN THỊ NGUYÊN"  # Nguyên is a given name
    # As close to the given name QUÂN as to the family name QUAN: after the family name, the given name.
    assert fix_name("ĐÓ MINH QUÃN") == "ĐỖ MINH QUÂN" and fix_name("QUAN VĂN AN") == "QUAN VĂN AN"
    assert fix_name("XYZ ABC") == "XYZ ABC"
    assert fix_ethnicity("ÊĐê") == "Ê Đê" and fix_ethnicity("Kinh") == "Kinh"
    assert fix_province("Lào Cũi") == "Lào Cai" and fix_province("Thủ Đức") == "Thủ Đức"
    assert fix_agency("ỦY BAN NHÂN DÂN TÍNH QUẢNG NGÃI") == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def _read(image, dpi=300) -> dict:
    result = ocr_page(SourcePage(index=0, dpi=dpi, image=np.asarray(image)), keep_image=False)
    return extract_fields([result.text])


@pytest.mark.parametrize("model, covered", [("2021", False), ("2024", True)])
def test_a_specimen_card_read_for_real_matches_its_truth(model, covered):
    rng = random.Random(7 if covered else 5)
    person = identity.citizen(rng)
    found = _read(cccd_card.render(person, model, 300, "noto-sans", qr_covered=covered))
    assert found.classification.kind == "cccd" and found.kind == "cccd"
    truth = cccd_card.truth(person, model)
    got = {name: found.value(name) for name in truth}
    assert got == truth
    card_id = found.fields["id"]
    if covered:  # no QR: the MRZ vouches for the id, the printed number agrees
        assert card_id.source == "mrz" and "ocr" in card_id.agrees
        assert found.fields["place_of_birth"].source == "ocr"
    else:
        assert card_id.source == "qr" and {"mrz", "ocr"} <= set(card_id.agrees)
        assert found.fields["residence"].source == "qr"
    assert not card_id.disagrees and card_id.box


def test_a_birth_certificate_read_for_real_matches_its_truth():
    """Every field found; at most one with an OCR slip in its marks (here 'Phú Tần' for 'Phú Tân'):
    accuracy is for `digitize bench fields` to measure, this test checks the whole path."""
    record = birth_certificate.BirthRecord.random(random.Random(3))
    image, _ = birth_certificate.render(record, 300, "liberation-serif")
    found = _read(image)
    assert found.classification.kind == "birth"
    got = {name: found.value(name) for name in record.truth()}
    assert all(got.values()), got
    wrong = {name: (got[name], want) for name, want in record.truth().items() if got[name] != want}
    assert len(wrong) <= 1, wrong
    assert all(f.source == "ocr" and f.box for f in found.fields.values())


def test_an_application_is_other_with_its_label_value_pairs():
    title, pairs = application_form.random_pairs(random.Random(4))
    found = _read(application_form.render(title, pairs, 300, "dejavu-serif"))
    assert found.kind == "other"
    got = {name: f.value for name, f in found.fields.items()}
    assert {application_form.key(label): value for label, value in pairs}.items() <= got.items()


def test_a_fake_card_payload_is_caught_by_the_id_rules():
    """A QR whose id says 'man born 2003' on a card for a woman born 1990: flagged, confidence halved."""
    from digitize.fields.cccd import extract_cccd
    from ocr import Code, PageText

    payload = "070203012345||Trần Thị Lan|01011990|Nữ|Thôn 1, Xã Tân Lập, Huyện Đồng Phú, Bình Phước|01012022"
    page = PageText(index=0, width=100, height=100, dpi=300, source="ocr", orientation=0, skew=0.0, words=[],
                    codes=[Code("qr", payload, [0, 0, 10, 10])])
    card_id = extract_cccd([page])["id"]
    assert card_id.disagrees["structure"] == "birth_year_mismatch,sex_mismatch" and card_id.confidence < 0.5
