"""One search over the catalog, for the CLI (`digitize find`), the API (`/v1/search`) and the
Tra cứu page: the narrowest query the criteria allow, then the other criteria as filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from common.clock import VIETNAM, aware, start_of
from storage import Catalog

from .codes import check_kind, check_owner_id

WIDE = 200  # rows a narrow query may return before the filters


@dataclass
class SearchQuery:
    text: str | None = None  # full text, diacritics optional
    code: str | None = None
    owner_id: str | None = None
    dossier_code: str | None = None
    kind: str | None = None
    agency_id: str | None = None
    since: date | None = None  # digitized on or after this day (counter time)
    until: date | None = None  # digitized before this day
    valid_on: date | None = None  # issued by and not expired on this day (with owner_id)
    limit: int = 50

    def normalized(self) -> "SearchQuery":
        """Ids checked, codes upper case; raises UserError on a malformed owner id or kind."""
        return SearchQuery(
            text=(self.text or "").strip() or None, code=(self.code or "").strip().upper() or None,
            owner_id=check_owner_id(self.owner_id) if self.owner_id else None,
            dossier_code=(self.dossier_code or "").strip().upper() or None,
            kind=check_kind(self.kind) if self.kind else None, agency_id=self.agency_id or None,
            since=self.since, until=self.until, valid_on=self.valid_on, limit=max(1, min(self.limit, WIDE)))


def search(catalog: Catalog, query: SearchQuery) -> list[dict]:
    q = query.normalized()
    if q.code:
        doc = catalog.get(q.code)
        found = [doc] if doc else []
    elif q.text:
        found = catalog.search(q.text, limit=WIDE)
    elif q.owner_id:
        found = catalog.documents_of_owner(q.owner_id, q.kind, valid_on=q.valid_on, limit=WIDE)
    elif q.dossier_code:
        found = catalog.documents_of_dossier(q.dossier_code)
    else:
        return catalog.find(agency_id=q.agency_id, kind=q.kind, since=start_of(q.since), until=start_of(q.until),
                            limit=q.limit)
    in_dossier = {d["code"] for d in catalog.documents_of_dossier(q.dossier_code)} if q.dossier_code else None
    return [d for d in found if _matches(d, q, in_dossier)][:q.limit]


def _matches(doc: dict, q: SearchQuery, in_dossier: set[str] | None) -> bool:
    day = aware(doc["created_at"]).astimezone(VIETNAM).date()
    return ((not q.kind or doc["kind"] == q.kind)
            and (not q.owner_id or doc.get("owner_id") == q.owner_id)
            and (not q.agency_id or doc.get("agency_id") == q.agency_id)
            and (in_dossier is None or doc["code"] in in_dossier)
            and (q.since is None or day >= q.since) and (q.until is None or day < q.until))


def day_after(day: date | None) -> date | None:
    """For a range whose last day is included ('đến ngày')."""
    return day + timedelta(days=1) if day else None

