"""The procedures catalogue, imported from the agency's JSON or CSV, and a dossier's checklist:
present, already on file for the citizen, or missing."""
import pytest

from digitize import procedures
from digitize.errors import UserError

CSV = """procedure_code,procedure_name,paper_name,paper_kind,original,copies,match
1.001193,Đăng ký khai sinh,Tờ khai đăng ký khai sinh,other,bản chính,1,TỜ KHAI
1.001193,Đăng ký khai sinh,Căn cước công dân,cccd,bản sao,1,
1.004227,Đăng ký thường trú,Giấy khai sinh,birth,bản sao,1,
"""


def test_a_csv_catalogue_is_read_into_procedures_and_papers(tmp_path):
    path = tmp_path / "thu-tuc.csv"
    path.write_text(CSV, encoding="utf-8")
    found = procedures.load(path)
    assert [p.name for p in found] == ["Đăng ký khai sinh", "Đăng ký thường trú"]
    form, card = found[0].papers
    assert form.original and form.match == "TỜ KHAI" and not card.original and card.kind == "cccd"
    assert procedures.find(tuple(found), "dang ky khai sinh") is found[0]  # typed without marks
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(UserError) as bad:
        procedures.load(tmp_path / "bad.json")
    assert bad.value.code == "bad_procedures_file"


def test_the_sample_catalogue_ships_with_the_package():
    assert procedures.find(procedures.catalogue(), "Đăng ký khai sinh").papers


def test_a_checklist_says_present_on_file_or_missing(tmp_path):
    path = tmp_path / "thu-tuc.csv"
    path.write_text(CSV, encoding="utf-8")
    birth_registration = procedures.load(path)[0]
    dossier = [{"code": "D1", "kind": "other", "title": "TỜ KHAI ĐĂNG KÝ KHAI SINH"}]
    owner = [*dossier, {"code": "C9", "kind": "cccd", "title": "Căn cước công dân — A"}]
    lines = procedures.checklist(birth_registration, dossier, owner)
    assert [(line.state, line.present or line.on_file) for line in lines] == [("present", ["D1"]), ("on_file", ["C9"])]
    assert [line.state for line in procedures.checklist(birth_registration, [], [])] == ["missing", "missing"]
