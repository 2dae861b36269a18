"""Loading what a request is about, and refusing callers who may not touch it."""

from __future__ import annotations

from ..domain.access import Caller, can_manage, can_view, join_role
from ..domain.session import Session
from .classroom import Classroom
from .errors import Forbidden, NotFound, Unprocessable
from .ports import OfferingView


def offering(app: Classroom, offering_id: str) -> OfferingView:
    """The offering and its faculty, or NotFound when no catalog event named it yet."""
    found = app.catalog.offering(offering_id)
    if found is None:
        raise NotFound(f"No offering with id '{offering_id}'.")
    return found


def session(app: Classroom, session_id: str) -> Session:
    """The stored session, or NotFound."""
    found = app.sessions.get(session_id)
    if found is None:
        raise NotFound(f"No session with id '{session_id}'.")
    return found


def is_member(app: Classroom, view: OfferingView, caller: Caller) -> bool:
    """True for a confirmed student who is not also on the faculty."""
    return caller.user_id not in view.faculty and app.rosters.is_confirmed(view.id,
                                                                          caller.user_id)


def require_manage(view: OfferingView, caller: Caller) -> None:
    """Forbidden unless the caller is on the course's faculty (or a platform admin)."""
    if not can_manage(caller, view.faculty):
        raise Forbidden("Only the course's faculty manage its sessions.")


def require_view(app: Classroom, view: OfferingView, caller: Caller) -> None:
    """Forbidden unless the caller is a confirmed student, on the faculty, or an admin."""
    if not can_view(caller, view.faculty, is_member(app, view, caller)):
        raise Forbidden("Only the offering's confirmed students and faculty see its sessions.")


def require_join_role(app: Classroom, view: OfferingView, caller: Caller) -> str:
    """The role the caller joins in; Forbidden for anyone not in the class."""
    role = join_role(caller, view.faculty, is_member(app, view, caller))
    if role is None:
        raise Forbidden("Only the offering's confirmed students and its faculty can join.")
    return role


def require_faculty_instructors(view: OfferingView, instructors: list[str]) -> None:
    """Unprocessable unless every instructor is on the course's faculty."""
    strangers = [u for u in instructors if u not in view.faculty]
    if strangers:
        raise Unprocessable("Instructors must be on the course's faculty.", {
            "instructors": [f"Not on this course's faculty: {', '.join(strangers)}."]})


def note_zone(app: Classroom, user_id: str, zone: str | None) -> None:
    """Remember the (already validated) zone the caller's token names, for fair hours."""
    if zone:
        app.zones.remember(user_id, zone)
