"""The counter's clock: Vietnam time (UTC+7, no daylight saving) and ISO dates."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))


def today() -> date:
    """The counter's day, whatever the server's clock zone."""
    return datetime.now(VIETNAM).date()


def start_of(day: date | None) -> datetime | None:
    """Midnight at the counter on `day`."""
    return datetime.combine(day, time(), VIETNAM) if day else None


def iso_date(value: str | None) -> date | None:
    """A date from 'YYYY-MM-DD', or None for empty or malformed text."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def aware(moment: datetime) -> datetime:
    """SQLite hands back UTC times without their zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
