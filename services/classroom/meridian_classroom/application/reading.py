"""Reading sessions: one session, an offering's sessions, a user's timetable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.access import Caller
from ..domain.session import Session
from . import access
from .classroom import Classroom


@dataclass(frozen=True)
class Window:
    """A range of instants and one page of what falls in it."""

    begin: datetime | None
    until: datetime | None
    page: int
    per_page: int

    @property
    def skip(self) -> int:
        """How many matching sessions come before this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Timetable:
    """One page of a user's sessions, how many there are, and where the user teaches."""

    sessions: list[Session]
    total: int
    teaching: frozenset[str]

    def role_in(self, session: Session) -> str:
        """`faculty` where the user teaches the session's offering, else `student`."""
        return "faculty" if session.offering_id in self.teaching else "student"


def one_session(app: Classroom, caller: Caller, session_id: str) -> Session:
    """A session for a confirmed student, its faculty or an admin."""
    session = access.session(app, session_id)
    access.require_view(app, access.offering(app, session.offering_id), caller)
    return session


def offering_sessions(app: Classroom, caller: Caller, offering_id: str, window: Window,
                      status: str | None) -> tuple[list[Session], int]:
    """The offering's sessions in time order, one page, and how many match in all."""
    access.require_view(app, access.offering(app, offering_id), caller)
    return app.sessions.page([offering_id], window.begin, window.until, status, window.skip,
                             window.per_page)


def offerings_of(app: Classroom, user_id: str) -> tuple[list[str], list[str]]:
    """Offering ids where the user is a confirmed student, and where they teach."""
    return app.rosters.offerings_of(user_id), app.catalog.taught_by(user_id)


def timetable(app: Classroom, user_id: str, window: Window) -> Timetable:
    """Sessions of every offering the user studies (confirmed) or teaches, in time order."""
    as_student, as_faculty = offerings_of(app, user_id)
    offering_ids = sorted(set(as_student) | set(as_faculty))
    if not offering_ids:
        return Timetable([], 0, frozenset())
    sessions, total = app.sessions.page(offering_ids, window.begin, window.until, None,
                                        window.skip, window.per_page)
    return Timetable(sessions, total, frozenset(as_faculty))
