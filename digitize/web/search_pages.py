"""Tra cứu: by owner, dossier, code, kind, date of digitization, or full text without diacritics."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Depends, Request

from storage import Catalog

from ..api import state
from ..api.auth import Caller
from ..codes import KINDS, check_owner_id
from ..errors import UserError
from ..pipeline import VIETNAM, iso_date
from .render import aware, render
from .session import require_page

router = APIRouter(include_in_schema=False)
archivist = require_page("archivist")
LIMIT = 50


@router.get("/tra-cuu")
def search(request: Request, q: str = "", chu_ho_so: str = "", ho_so: str = "", ma: str = "", loai: str = "",
           tu_ngay: str = "", den_ngay: str = "", caller: Caller = Depends(archivist)):
    criteria = {"q": q.strip(), "chu_ho_so": chu_ho_so.strip(), "ho_so": ho_so.strip().upper(),
                "ma": ma.strip().upper(), "loai": loai if loai in KINDS else "", "tu_ngay": tu_ngay,
                "den_ngay": den_ngay}
    asked = any(criteria.values())
    catalog = state.services(request).catalog
    error, results = None, []
    try:
        results = find(catalog, criteria) if asked else catalog.find(limit=20)
    except UserError as exc:
        error = exc.message_vi
    checks = catalog.signature_checks([d["code"] for d in results])
    return render(request, "search.html", {"criteria": criteria, "asked": asked, "results": results,
                                           "checks": checks, "error": error, "kinds": KINDS, "limit": LIMIT})


def find(catalog: Catalog, c: dict) -> list[dict]:
    """The narrowest query the criteria allow, then the other criteria as filters."""
    since, until = _day(c["tu_ngay"]), _day(c["den_ngay"])
    if c["ma"]:
        doc = catalog.get(c["ma"])
        found = [doc] if doc else []
    elif c["q"]:
        found = catalog.search(c["q"], limit=200)
    elif c["chu_ho_so"]:
        found = catalog.documents_of_owner(check_owner_id(c["chu_ho_so"]), c["loai"] or None, limit=200)
    elif c["ho_so"]:
        found = catalog.documents_of_dossier(c["ho_so"])
    else:
        return catalog.find(kind=c["loai"] or None, since=_start(since), until=_start(until, 1), limit=LIMIT)
    in_dossier = {d["code"] for d in catalog.documents_of_dossier(c["ho_so"])} if c["ho_so"] else None
    return [d for d in found if _matches(d, c, in_dossier, since, until)][:LIMIT]


def _matches(doc: dict, c: dict, in_dossier: set | None, since: date | None, until: date | None) -> bool:
    day = aware(doc["created_at"]).astimezone(VIETNAM).date()
    return ((not c["loai"] or doc["kind"] == c["loai"])
            and (not c["chu_ho_so"] or doc.get("owner_id") == c["chu_ho_so"])
            and (in_dossier is None or doc["code"] in in_dossier)
            and (since is None or day >= since) and (until is None or day <= until))


def _day(text: str) -> date | None:
    day = iso_date(text)
    if text and day is None:
        raise UserError("invalid_date", f"Ngày không hợp lệ: {text!r}.", f"Invalid date {text!r}.")
    return day


def _start(day: date | None, plus: int = 0) -> datetime | None:
    return datetime.combine(day + timedelta(days=plus), time(), VIETNAM) if day else None
