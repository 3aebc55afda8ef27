"""Dossier codes, reusable document codes and their check character, owner ids."""
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitize.codes import (
    DocumentCodeFormat,
    check_kind,
    check_owner_id,
    format_dossier_code,
    parse_dossier_code,
)
from digitize.errors import UserError

ALPHABET = string.digits + string.ascii_uppercase
FMT = DocumentCodeFormat()


def test_document_code_embeds_agency_date_sequence_and_check():
    code = FMT.format(agency="h40.27", day=date(2026, 11, 24), sequence=42)
    assert code.startswith("H40.27-261124-000042-") and len(code.rsplit("-", 1)[1]) == 2
    assert FMT.validate(code.lower()) == code


@given(seq=st.integers(min_value=1, max_value=999_999), day=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_every_single_substitution_and_neighbour_swap_is_rejected(seq, day):
    code = FMT.format(agency="000.00.15.H40", day=day, sequence=seq)
    positions = [i for i, c in enumerate(code) if c.isalnum()]
    for i in positions:
        for c in ALPHABET:
            if c != code[i]:
                with pytest.raises(UserError):
                    FMT.validate(code[:i] + c + code[i + 1:])
    for a, b in zip(positions, positions[1:]):
        if code[a] != code[b]:
            swapped = list(code)
            swapped[a], swapped[b] = swapped[b], swapped[a]
            with pytest.raises(UserError):
                FMT.validate("".join(swapped))


def test_template_can_follow_archive_guidance():
    fmt = DocumentCodeFormat("{agency}_{kind}_{seq:06d}_V1{check}")
    code = fmt.format(agency="G06.01", day=date(2026, 1, 2), sequence=21, kind="cv")
    assert code.startswith("G06.01_CV_000021_V1")
    assert fmt.validate(code) == code
    assert fmt.scope(agency="G06.01", day=date(2026, 1, 2), kind="cv").endswith("/CV")


def test_dossier_code_circular_03_2025():
    parts = parse_dossier_code("H15.50.05.13-261008-0975")
    assert parts["agency"] == "H15.50.05.13" and parts["date"] == date(2026, 10, 8) and parts["sequence"] == 975
    assert parse_dossier_code("G01-261008-12-0975")["ministry"] == "12"
    assert format_dossier_code("H40", date(2026, 1, 5), 7) == "H40-260105-0007"


@pytest.mark.parametrize("bad", ["H40-261308-0001", "H40-261008-12", "H40_261008_0001", "", "H40-261008-0001; --"])
def test_bad_dossier_codes_are_refused(bad):
    with pytest.raises(UserError):
        parse_dossier_code(bad)


def test_owner_ids():
    assert check_owner_id(" 001090012345 ") == "001090012345"
    assert check_owner_id("0101234567-001") == "0101234567-001"
    for bad in ("12", "999090012345", "00109001234x", "../etc/passwd"):
        with pytest.raises(UserError):
            check_owner_id(bad)


def test_kinds():
    assert check_kind("ADMIN") == "admin"
    with pytest.raises(UserError):
        check_kind("passport")


def test_ids_and_codes_are_ascii_whole_and_short():
    with pytest.raises(UserError):
        check_owner_id("０７９０９００１２３４５")  # fullwidth digits: the same id spelled twice otherwise
    with pytest.raises(UserError):
        check_owner_id("079090012345\n7")
    with pytest.raises(UserError) as long_code:
        parse_dossier_code("H40.27-261124-" + "1" * 90)  # of the right pattern, but longer than a column
    assert len(long_code.value.message_vi) < 80
    with pytest.raises(UserError):
        parse_dossier_code("H40.27-261124-0001\x00")
    assert check_owner_id(" 079090012345 ") == "079090012345"


def test_file_names_are_kept_without_paths_or_control_characters():
    from digitize.pipeline import clean_filename

    assert clean_filename("scan\x00.png") == "scan.png"
    assert clean_filename("..\\..\\windows\\a.tif") == "a.tif" and clean_filename("/etc/passwd") == "passwd"
    assert clean_filename("\x00") == "upload" and len(clean_filename("x" * 500)) == 200
