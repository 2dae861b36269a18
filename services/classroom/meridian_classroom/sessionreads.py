"""Reading sessions for listings: the offerings' cached sessions, filtered and paged here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .sessioncache import SessionRow, sessions_of


def in_order(offering_ids: Iterable[str], begin: datetime | None = None,
             until: datetime | None = None, status: str | None = None) -> list[SessionRow]:
    """Sessions of the offerings that end after `begin` and start before `until`, by start."""
    return sorted((s for s in sessions_of(offering_ids)
                   if (begin is None or s.end > begin) and (until is None or s.start < until)
                   and (status is None or s.status == status)),
                  key=lambda s: (s.start, s.id))


def listed(offering_ids: Iterable[str], page: int, per_page: int, begin: datetime | None = None,
           until: datetime | None = None,
           status: str | None = None) -> tuple[list[SessionRow], int]:
    """One page of `in_order(...)`, and how many sessions match in all."""
    matching = in_order(offering_ids, begin, until, status)
    first = (page - 1) * per_page
    return matching[first:first + per_page], len(matching)
