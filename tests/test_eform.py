"""Staff corrections of extracted fields: new versions in the warehouse, never an overwrite."""
import json

import pytest

from digitize import eform
from digitize.errors import UserError
from digitize.services import Services
from storage import layout

CODE = "H40-261124-0001-X"
MACHINE = {"kind": "cccd", "classification": {"kind": "cccd", "confidence": 0.99, "evidence": []}, "fields": {
    "full_name": {"value": "LÊ XUÂN QUẦN", "raw": "LÊ XUÂN QUẦN", "confidence": 0.71, "page": 1, "source": "ocr",
                  "box": [10, 20, 300, 40], "agrees": [], "disagrees": {}},
    "date_of_birth": {"value": "1990-01-02", "raw": "02/01/1990", "confidence": 0.97, "page": 1, "source": "mrz",
                      "box": [10, 80, 300, 40], "agrees": ["ocr"], "disagrees": {}},
}}


@pytest.fixture
def services(home) -> Services:
    s = Services()
    s.store.put(layout.document_key(CODE, "fields.json"), json.dumps(MACHINE).encode(), "application/json")
    return s


def test_a_correction_is_a_new_version_with_who_when_old_and_new(services):
    form = eform.correct(services, CODE, based_on=1, values={"full_name": "lê xuân  QUÂN".upper()},
                         confirm=["date_of_birth"], who="clerk-1", kind="cccd")
    assert form.version == 2 and form.versions == [1, 2]
    name = form.fields["full_name"]
    assert (name.value, name.source, name.verified, name.machine_value) == ("LÊ XUÂN QUÂN", "human", True, "LÊ XUÂN QUẦN")
    assert form.fields["date_of_birth"].verified and form.fields["date_of_birth"].source == "mrz"
    change = next(c for c in form.corrections if c.field == "full_name")
    assert (change.old, change.new, change.by) == ("LÊ XUÂN QUẦN", "LÊ XUÂN QUÂN", "clerk-1")
    # The machine's version is still there, unchanged; the history tells the story.
    assert eform.load(services, CODE, 1).value("full_name") == "LÊ XUÂN QUẦN"
    stored = json.loads(services.store.get(eform.version_key(CODE, 2)))  # what the warehouse keeps
    assert stored["based_on"] == 1 and stored["fields"]["full_name"]["verified_by"] == "clerk-1"
    assert "versions" not in stored and stored["fields"]["date_of_birth"]["agrees"] == ["ocr"]
    assert [v["version"] for v in eform.history(services, CODE)] == [2]


def test_a_stale_version_or_bad_values_write_nothing(services):
    eform.correct(services, CODE, based_on=1, values={"full_name": "LÊ XUÂN QUÂN"}, confirm=[], who="a",
                  kind="cccd")
    with pytest.raises(UserError) as stale:  # a second clerk still looking at version 1
        eform.correct(services, CODE, based_on=1, values={"full_name": "X"}, confirm=[], who="b", kind="cccd")
    assert stale.value.code == "version_conflict"
    for values, code in [({"date_of_birth": "30/02/1990"}, "invalid_date"), ({"date_of_birth": "1990"}, "invalid_date"), ({"Bad Name": "x"}, "invalid_field_name"),
                         ({"note": "x" * 2000}, "invalid_field_value")]:
        with pytest.raises(UserError) as bad:
            eform.correct(services, CODE, based_on=2, values=values, confirm=[], who="a", kind="cccd")
        assert bad.value.code == code and bad.value.message_vi
    with pytest.raises(UserError) as unknown:
        eform.correct(services, CODE, based_on=2, values={}, confirm=["no_such_field"], who="a", kind="cccd")
    assert unknown.value.code == "unknown_field"
    assert eform.versions(services, CODE) == [1, 2]


def test_the_warehouse_refuses_to_overwrite_a_version(services):
    """Two clerks who both computed 'version 2': the second put is refused, not lost silently."""
    eform.correct(services, CODE, based_on=1, values={"full_name": "A"}, confirm=[], who="a", kind="cccd")
    from storage import StorageError

    with pytest.raises(StorageError):
        services.store.put(eform.version_key(CODE, 2), b"{}", "application/json")


def test_concurrent_saves_of_one_version_one_wins_the_others_get_409(services):
    from concurrent.futures import ThreadPoolExecutor

    from digitize.errors import ConflictError

    def save(i):
        try:
            return eform.correct(services, CODE, based_on=1, values={"full_name": f"TÊN {i}"}, confirm=[],
                                 who=f"clerk-{i}", kind="cccd")
        except ConflictError as exc:
            return exc

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(save, range(8)))
    winners = [r for r in results if not isinstance(r, ConflictError)]
    assert len(winners) == 1 and all(r.status == 409 for r in results if r not in winners)
    assert eform.load(services, CODE).fields["full_name"].value == winners[0].fields["full_name"].value
