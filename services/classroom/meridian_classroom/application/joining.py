"""Joining a live session, the attendance it leaves behind, and departures providers report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from meridian_common.conflicts import Conflict

from ..domain.access import Caller
from ..domain.attendance import summarise
from ..domain.bbb import HookEvent
from ..domain.window import join_state, opens_at
from . import access
from .classroom import Classroom
from .ports import Join, ProviderChoice

# The provider's clock and ours differ a little; a departure may be stamped before our join.
CLOCK_SKEW = timedelta(minutes=5)
_REFUSALS = {
    "too_early": "Joining opens 15 minutes before the session starts.",
    "ended": "The session has ended.",
    "cancelled": "The session was cancelled.",
}


@dataclass(frozen=True)
class Admission:
    """Where one person goes to join, in which role, and the attendance recorded for it."""

    url: str
    provider: str
    public_room: bool
    expires_at: datetime
    attendance_id: str
    role: str


def _utc_text(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def provider_choice(app: Classroom, offering_id: str) -> ProviderChoice:
    """The provider faculty chose for the offering, else the deployment default."""
    return app.meeting_settings.choice(offering_id) or ProviderChoice(
        provider=app.default_provider, url=None, configured=False)


def join(app: Classroom, caller: Caller, session_id: str) -> Admission:
    """A join link for confirmed students and faculty, from 15 minutes before the start to
    the end; each join is recorded as attendance."""
    session = access.session(app, session_id)
    role = access.require_join_role(app, access.offering(app, session.offering_id), caller)
    now = app.clock.now()
    state = join_state(now, session.start, session.end, session.status)
    if state != "open":
        raise Conflict(state, _REFUSALS[state], {"opens_at": _utc_text(opens_at(session.start)),
                                                 "ends_at": _utc_text(session.end)})
    choice = provider_choice(app, session.offering_id)
    url = app.provider.join_url(choice, session, caller.user_id, role)
    attendance = Join(id=app.new_id("att"), session_id=session.id,
                      offering_id=session.offering_id, user_id=caller.user_id, role=role,
                      provider=choice.provider, joined_at=now)
    app.attendance.record_join(attendance)
    return Admission(url=url, provider=choice.provider, public_room=choice.public_room,
                     expires_at=session.end,
                     attendance_id=attendance.id, role=role)


def attendees(app: Classroom, caller: Caller, session_id: str) -> list[dict]:
    """Who joined, when, and for how long where departures are reported (course faculty)."""
    session = access.session(app, session_id)
    access.require_manage(access.offering(app, session.offering_id), caller)
    return summarise(app.attendance.visits(session_id))


def _close(app: Classroom, join_: Join, at: datetime) -> bool:
    return app.attendance.record_leave(join_, max(at, join_.joined_at))


def record_departures(app: Classroom, events: list[HookEvent]) -> int:
    """Record departures from provider events; returns how many visits they closed."""
    closed = 0
    for event in events:
        if event.kind == "user-left" and event.user_id:
            open_joins = app.attendance.open_joins(event.meeting_id, event.user_id,
                                                   event.at + CLOCK_SKEW)
            closed += int(_close(app, open_joins[0], event.at)) if open_joins else 0
        elif event.kind == "meeting-ended":
            closed += sum(_close(app, j, event.at) for j in app.attendance.open_joins(
                event.meeting_id, None, event.at + CLOCK_SKEW))
    return closed
