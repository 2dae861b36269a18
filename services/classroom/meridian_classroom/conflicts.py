"""Double-booking checks against stored sessions (call them while holding the schedule leases)."""

from __future__ import annotations

from datetime import datetime

from meridian_common.events.envelope import as_utc
from meridian_common.web.errors import ApiError

from .domain.overlap import Booking, Conflict, find_conflicts
from .models import LiveSession


def booking_of(session: LiveSession) -> Booking:
    """A stored session as the overlap rules see it."""
    return Booking(ref=session.id, offering_id=session.offering_id, start=as_utc(session.start),
                   end=as_utc(session.end), instructors=frozenset(session.instructors))


def _stored_near(offering_id: str, instructors: set[str], start: datetime, end: datetime,
                 exclude: list[str]) -> list[LiveSession]:
    query = {"status": "scheduled", "start": {"$lt": end}, "end": {"$gt": start},
             "$or": [{"offering_id": offering_id}, {"instructors": {"$in": sorted(instructors)}}]}
    if exclude:
        query["_id"] = {"$nin": exclude}
    return list(LiveSession.objects(__raw__=query).exclude("outbox", "outbox_last_at"))


def _describe(conflict: Conflict, stored: dict[str, LiveSession]) -> dict:
    proposed, other = conflict.proposed, conflict.existing
    existing = stored.get(other.ref)
    item = {"start": proposed.start, "end": proposed.end, "reasons": conflict.reasons,
            "instructors": list(conflict.instructors),
            "conflicting_session_id": other.ref if not other.ref.startswith("new:") else None,
            "conflicting_offering_id": other.offering_id,
            "conflicting_title": existing.title if existing else None,
            "conflicting_start": other.start, "conflicting_end": other.end}
    if proposed.ref.startswith("new:"):
        item["occurrence"] = int(proposed.ref[4:])
    else:
        item["session_id"] = proposed.ref
    if existing is None and other.ref.startswith("new:"):
        item["conflicting_occurrence"] = int(other.ref[4:])
    return item


def _utc_text(value: datetime) -> str:
    return as_utc(value).isoformat().replace("+00:00", "Z")


def refuse_conflicts(offering_id: str, proposed: list[Booking], exclude: list[str]) -> None:
    """409 listing every double booking among `proposed` and the stored sessions."""
    if not proposed:
        return
    instructors = set().union(*(b.instructors for b in proposed))
    start = min(b.start for b in proposed)
    end = max(b.end for b in proposed)
    stored = {s.id: s for s in _stored_near(offering_id, instructors, start, end, exclude)}
    conflicts = find_conflicts(proposed, [booking_of(s) for s in stored.values()])
    if not conflicts:
        return
    items = [_describe(c, stored) for c in conflicts]
    for item in items:
        for key in ("start", "end", "conflicting_start", "conflicting_end"):
            item[key] = _utc_text(item[key])
    raise ApiError(409, f"The schedule would double-book: {len(items)} conflict(s).",
                   code="schedule_conflict", conflicts=items)
