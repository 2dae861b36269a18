"""The life cycle of a live session: scheduled → rescheduled (any number of times) → cancelled.

Every transition returns the new state and the events it causes; a cancelled session is final.
Storing the state and its events in one write is the adapters' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.types import SESSION_CANCELLED, SESSION_RESCHEDULED, SESSION_SCHEDULED

from .recurrence import Occurrence

KINDS = ("lecture", "seminar", "workshop", "office_hours")
# Where a session takes place: BigBlueButton, Jitsi Meet, or a URL the faculty give.
PROVIDERS = ("bbb", "jitsi", "external")
SCHEDULED, CANCELLED = "scheduled", "cancelled"


@dataclass(frozen=True)
class Session:
    """A live session: UTC instants plus the wall-clock start and zone it was entered in."""

    id: str
    series_id: str
    series_index: int
    offering_id: str
    kind: str
    title: str
    start: datetime
    end: datetime
    timezone: str
    wall_start: str
    fold: int
    duration_minutes: int
    instructors: tuple[str, ...]
    status: str
    sequence: int
    version: int
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None = None
    # The meeting room's secret name: never shown in feeds, events or conflict bodies.
    room: str = ""


@dataclass(frozen=True)
class SessionEvent:
    """Something that happened to a session; `type` is a `meridian_common.events.types` name."""

    type: str
    session: Session
    # A reschedule remembers where the session was; a cancellation may say why.
    previous: Session | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Details:
    """What a series shares: kind, title, zone, length and who teaches it."""

    kind: str
    title: str
    timezone: str
    duration_minutes: int
    instructors: tuple[str, ...] = field(default_factory=tuple)


def _wall_text(occurrence: Occurrence) -> str:
    return occurrence.wall_start.isoformat(timespec="minutes")


def schedule(series_id: str, ids: list[str], offering_id: str, details: Details,
             occurrences: list[Occurrence], now: datetime,
             rooms: list[str]) -> list[SessionEvent]:
    """A new series: one scheduled session (and its event) per occurrence, each with its room."""
    return [SessionEvent(SESSION_SCHEDULED, Session(
        id=session_id, series_id=series_id, series_index=o.index, offering_id=offering_id,
        kind=details.kind, title=details.title, start=o.start, end=o.end,
        timezone=details.timezone, wall_start=_wall_text(o), fold=o.fold,
        duration_minutes=details.duration_minutes, instructors=tuple(details.instructors),
        status=SCHEDULED, sequence=0, version=1, created_at=now, updated_at=now, room=room))
        for session_id, o, room in zip(ids, occurrences, rooms, strict=True)]


def ensure_changeable(session: Session) -> None:
    """Conflict("cancelled") for a cancelled session: cancelling is final."""
    if session.status == CANCELLED:
        raise Conflict("cancelled", "A cancelled session cannot be changed.")


def reschedule(session: Session, now: datetime, *, kind: str | None = None,
               title: str | None = None, instructors: tuple[str, ...] | None = None,
               placed: Occurrence | None = None, timezone: str | None = None,
               duration_minutes: int | None = None) -> SessionEvent:
    """Any change (time, zone, length, title, kind, instructors) bumps the SEQUENCE."""
    ensure_changeable(session)
    changed = replace(session, kind=kind or session.kind, title=title or session.title,
                      instructors=session.instructors if instructors is None else instructors,
                      sequence=session.sequence + 1, version=session.version + 1,
                      updated_at=now)
    if placed is not None:
        changed = replace(changed, start=placed.start, end=placed.end, fold=placed.fold,
                          wall_start=_wall_text(placed), timezone=timezone or session.timezone,
                          duration_minutes=duration_minutes or session.duration_minutes)
    return SessionEvent(SESSION_RESCHEDULED, changed, previous=session)


def cancel(session: Session, now: datetime, reason: str | None = None) -> SessionEvent | None:
    """Cancel a scheduled session; cancelling a cancelled one changes nothing (None)."""
    if session.status == CANCELLED:
        return None
    return SessionEvent(SESSION_CANCELLED, replace(
        session, status=CANCELLED, cancelled_at=now, sequence=session.sequence + 1,
        version=session.version + 1, updated_at=now), reason=reason)
