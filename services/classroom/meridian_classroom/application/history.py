"""A person's own attendance history: their joins, newest first, with the sessions joined."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.attendance import OwnVisit
from ..domain.session import Session
from .classroom import Classroom


@dataclass(frozen=True)
class HistoryEntry:
    """One visit and the session it was to (None if that session is no longer stored)."""

    visit: OwnVisit
    session: Session | None


def my_attendance(app: Classroom, user_id: str, page: int,
                  per_page: int) -> tuple[list[HistoryEntry], int]:
    """One page of the user's visits, newest join first, and how many there are in all."""
    visits, total = app.attendance.of_user(user_id, (page - 1) * per_page, per_page)
    sessions = app.sessions.many(sorted({v.session_id for v in visits}))
    return [HistoryEntry(v, sessions.get(v.session_id)) for v in visits], total
