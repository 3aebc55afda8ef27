"""Tra cứu: by owner, dossier, code, kind, date of digitization, or full text without diacritics."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request

from common.clock import iso_date
from storage import Catalog

from ..codes import KINDS
from ..errors import UserError
from ..http import state
from ..http.auth import Caller
from ..search import SearchQuery, day_after
from ..search import search as find_documents
from .render import render
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
    state.audit_results(request, caller, results)
    checks = catalog.signature_checks([d["code"] for d in results])
    return render(request, "search.html", {"criteria": criteria, "asked": asked, "results": results,
                                           "checks": checks, "error": error, "kinds": KINDS, "limit": LIMIT})


def find(catalog: Catalog, c: dict) -> list[dict]:
    """The page's criteria (Vietnamese parameter names) as the one search; 'đến ngày' is included."""
    return find_documents(catalog, SearchQuery(text=c["q"], code=c["ma"], owner_id=c["chu_ho_so"], dossier_code=c["ho_so"],
                                       kind=c["loai"], since=_day(c["tu_ngay"]), until=day_after(_day(c["den_ngay"])),
                                       limit=LIMIT))


def _day(text: str) -> date | None:
    day = iso_date(text)
    if text and day is None:
        raise UserError("invalid_date", f"Ngày không hợp lệ: {text!r}.", f"Invalid date {text!r}.")
    return day

