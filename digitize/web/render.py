"""Templates, and what every page gets: the caller, the menu, the CSRF token, Vietnamese names."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from common.clock import VIETNAM, aware

from . import labels
from .session import ROLE_NAMES, caller_of, csrf_of, may

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

MENU = [  # (path, title, roles besides admin): a page shows in the menu for those who may open it
    ("/tiep-nhan", "Tiếp nhận", ("counter",)),
    ("/kiem-tra", "Kiểm tra", ("counter",)),
    ("/ho-so", "Hồ sơ trong ngày", ("counter",)),
    ("/tra-cuu", "Tra cứu", ("archivist",)),
    ("/luu-tru", "Hồ sơ lưu trữ", ("archivist",)),
]


def local_time(value) -> str:
    """A time shown in Vietnam time, as dd/mm/yyyy hh:mm; dates as dd/mm/yyyy."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return aware(value).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def person(subject: str | None) -> str:
    """A certificate's subject as people read it: "Nguyễn Văn A — UBND xã B" rather than
    "Common Name: Nguyễn Văn A; Organization: UBND xã B; Country: VN"."""
    parts = dict(p.split(": ", 1) for p in (subject or "").split("; ") if ": " in p)
    if not parts:
        return subject or ""
    name, org = parts.get("Common Name", ""), parts.get("Organization", "")
    return " — ".join(x for x in (name, org) if x)


def local_date(value) -> str:
    """An ISO date (a field's value) as dd/mm/yyyy; anything else as it is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "" if value is None else str(value)


templates.env.filters["vn_time"] = local_time
templates.env.filters["vn_date"] = local_date
templates.env.filters["person"] = person
templates.env.filters["sources"] = lambda keys: ", ".join(labels.SOURCE_NAMES.get(k, k) for k in keys)
templates.env.globals.update(KIND_NAMES=labels.KIND_NAMES, ACTION_NAMES=labels.ACTION_NAMES, SOURCE_NAMES=labels.SOURCE_NAMES,
                             field_name=labels.field_name, LOW_CONFIDENCE=labels.LOW_CONFIDENCE,
                             DOSSIER_BADGES=labels.DOSSIER_BADGES,
                             ROLE_NAMES=ROLE_NAMES)


def render(request: Request, template: str, context: dict, status: int = 200):
    try:
        caller, csrf = caller_of(request), csrf_of(request)
    except Exception:  # an error page while the catalog is away still renders, without the menu
        if status < 500:
            raise
        caller, csrf = None, ""
    menu = [(path, title) for path, title, roles in MENU if may(caller, *roles)]
    return templates.TemplateResponse(request, template, {
        "caller": caller, "menu": menu, "csrf": csrf, "path": request.url.path,
        **context}, status_code=status)
