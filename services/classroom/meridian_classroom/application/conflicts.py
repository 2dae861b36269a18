"""Double-booking checks against stored sessions (run them while holding the schedule lease)."""

from __future__ import annotations

from datetime import UTC, datetime

from meridian_common.conflicts import Conflict

from ..domain.access import Caller, can_manage, is_admin
from ..domain.overlap import Booking, find_conflicts
from ..domain.overlap import Conflict as Clash
from ..domain.session import Session
from .classroom import Classroom


def booking_of(session: Session) -> Booking:
    """A stored session as the overlap rules see it."""
    return Booking(ref=session.id, offering_id=session.offering_id, start=session.start,
                   end=session.end, instructors=frozenset(session.instructors))


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _visible(app: Classroom, caller: Caller, offering_id: str, other_offering: str) -> bool:
    # The offering being scheduled is the caller's; another one only if they teach it too.
    if other_offering == offering_id or is_admin(caller):
        return True
    view = app.catalog.offering(other_offering)
    return view is not None and can_manage(caller, view.faculty)


def _describe(clash: Clash, stored: dict[str, Session], visible: bool) -> dict:
    proposed, other = clash.proposed, clash.existing
    existing = stored.get(other.ref)
    item = {"start": _utc_text(proposed.start), "end": _utc_text(proposed.end),
            "reasons": clash.reasons, "instructors": list(clash.instructors),
            "busy": not visible,
            "conflicting_session_id": None, "conflicting_offering_id": None,
            "conflicting_title": None,
            "conflicting_start": _utc_text(other.start), "conflicting_end": _utc_text(other.end)}
    if visible:
        item.update(conflicting_offering_id=other.offering_id,
                    conflicting_title=existing.title if existing else None,
                    conflicting_session_id=None if other.ref.startswith("new:") else other.ref)
    if proposed.ref.startswith("new:"):
        item["occurrence"] = int(proposed.ref[4:])
    else:
        item["session_id"] = proposed.ref
    if existing is None and other.ref.startswith("new:"):
        item["conflicting_occurrence"] = int(other.ref[4:])
    return item


def refuse_conflicts(app: Classroom, caller: Caller, offering_id: str, proposed: list[Booking],
                     exclude: set[str]) -> None:
    """Conflict("schedule_conflict") listing every double booking among `proposed` and the
    stored scheduled sessions of the offering or of any instructor involved; a session of an
    offering the caller does not teach shows only as `busy` (its times, no id or title)."""
    if not proposed:
        return
    instructors = sorted(set().union(*(b.instructors for b in proposed)))
    start, end = min(b.start for b in proposed), max(b.end for b in proposed)
    stored = {s.id: s for s in app.sessions.overlapping(offering_id, instructors, start, end)
              if s.id not in exclude}
    clashes = find_conflicts(proposed, [booking_of(s) for s in stored.values()])
    if clashes:
        raise Conflict("schedule_conflict",
                       f"The schedule would double-book: {len(clashes)} conflict(s).",
                       {"conflicts": [_describe(c, stored, _visible(
                           app, caller, offering_id, c.existing.offering_id))
                           for c in clashes]})
