"""Writing sessions: new series, reschedules and cancellations, each under the schedule leases."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.outbox import outbox_insert_fields, update_with_events
from meridian_common.web.errors import ApiError

from .conflicts import refuse_conflicts
from .domain.overlap import Booking
from .domain.recurrence import Occurrence, ScheduleError
from .domain.reschedule import Placement, replan, timing_changes
from .events.payloads import session_event
from .leases import LEASE_SECONDS, LeaseBusy, holding, instructor_key, offering_key
from .models import LiveSession
from .sessioncache import touch_offering

EtagCheck = Callable[[LiveSession], None]


@contextlib.contextmanager
def api_leases(keys: list[str]) -> Iterator[None]:
    """Hold schedule leases for an API request; a long wait becomes a retryable 409."""
    try:
        with holding(keys):
            yield
    except LeaseBusy as exc:
        raise ApiError(409, "Another change to this schedule is in progress; retry shortly.",
                       code="schedule_busy", headers={"Retry-After": "1"}) from exc


@contextlib.contextmanager
def stamping(offering_id: str) -> Iterator[None]:
    """Around writes to the offering's sessions: renew its stamp afterwards, even on failure."""
    try:
        yield
    finally:
        touch_offering(offering_id)


def unprocessable(exc: ScheduleError) -> ApiError:
    """The 422 for times that cannot be scheduled."""
    return ApiError(422, str(exc), code="invalid_schedule", errors=exc.errors)


def load_session(session_id: str) -> LiveSession:
    """The session or a 404."""
    session = LiveSession.objects(id=session_id).first()
    if session is None:
        raise ApiError(404, f"No session with id '{session_id}'.", code="not_found")
    return session


def new_series(offering_id: str, data: dict, occurrences: list[Occurrence]) -> tuple[str, list]:
    """Insert a checked series; 409 with every conflict, and nothing stored, if it clashes."""
    series_id, now = new_id("ser"), utcnow()
    sessions = [LiveSession(
        id=new_id("ses"), series_id=series_id, series_index=o.index, offering_id=offering_id,
        kind=data["kind"], title=data["title"], start=o.start, end=o.end,
        timezone=data["timezone"], wall_start=o.wall_start.isoformat(timespec="minutes"),
        fold=o.fold, duration_minutes=data["duration_minutes"],
        instructors=list(data["instructors"]), status="scheduled", sequence=0, version=1,
        created_at=now, updated_at=now) for o in occurrences]
    keys = [offering_key(offering_id)] + [instructor_key(u) for u in data["instructors"]]
    with api_leases(keys):
        refuse_conflicts(offering_id, [Booking(
            ref=f"new:{o.index}", offering_id=offering_id, start=o.start, end=o.end,
            instructors=frozenset(data["instructors"])) for o in occurrences], exclude=[])
        for session in sessions:
            event = session_event("scheduled", session)
            for name, value in outbox_insert_fields(event).items():
                setattr(session, name, value)
        # Each document is one atomic insert carrying its own event.
        with stamping(offering_id):
            LiveSession.objects.insert(sessions, load_bulk=False)
    return series_id, sessions


def _targets(session_id: str, scope: str) -> list[LiveSession]:
    main = load_session(session_id)
    if scope != "following":
        return [main]
    later = LiveSession.objects(series_id=main.series_id, status="scheduled",
                                start__gt=main.start).order_by("start")
    return [main, *later]


def _lease_keys(targets: list[LiveSession], data: dict) -> set[str]:
    keys = {offering_key(targets[0].offering_id)}
    for target in targets:
        keys.update(instructor_key(u) for u in target.instructors)
    keys.update(instructor_key(u) for u in data.get("instructors") or [])
    return keys


def _placement(session: LiveSession) -> Placement:
    return Placement(wall_start=datetime.fromisoformat(session.wall_start), zone=session.timezone,
                     fold=session.fold, duration_minutes=session.duration_minutes)


def _apply(targets: list[LiveSession], data: dict, check_etag: EtagCheck) -> list[LiveSession]:
    main = targets[0]
    check_etag(main)
    if main.status == "cancelled":
        raise ApiError(409, "A cancelled session cannot be changed.", code="cancelled")
    timing = timing_changes(data.get("start"), data.get("timezone"), data.get("fold"),
                            data.get("duration_minutes"))
    try:
        plan = replan([_placement(t) for t in targets], start=data.get("start"),
                      zone=data.get("timezone"), fold=data.get("fold"),
                      duration=data.get("duration_minutes")) if timing else None
    except ScheduleError as exc:
        raise unprocessable(exc) from exc
    instructors = data.get("instructors")
    if plan or instructors is not None:
        refuse_conflicts(main.offering_id, [Booking(
            ref=t.id, offering_id=t.offering_id,
            start=plan[i].start if plan else as_utc(t.start),
            end=plan[i].end if plan else as_utc(t.end),
            instructors=frozenset(instructors or t.instructors)) for i, t in enumerate(targets)],
            exclude=[t.id for t in targets])
    with stamping(main.offering_id):
        for i, target in enumerate(targets):
            _change(target, data, instructors, plan[i] if plan else None)
    return targets


def _change(target: LiveSession, data: dict, instructors: list[str] | None,
            placed: Occurrence | None) -> None:
    changes = {name: data[name] for name in ("kind", "title") if name in data}
    if instructors is not None:
        changes["instructors"] = list(instructors)
    if placed:
        changes.update(start=placed.start, end=placed.end, fold=placed.fold,
                       wall_start=placed.wall_start.isoformat(timespec="minutes"),
                       timezone=data.get("timezone", target.timezone),
                       duration_minutes=data.get("duration_minutes", target.duration_minutes))
    changes["sequence"] = target.sequence + 1
    update_with_events(target, changes, lambda doc: [session_event("rescheduled", doc)])


def reschedule(session_id: str, data: dict, scope: str, check_etag: EtagCheck) -> list:
    """Move or edit a session (or it and the following ones); returns the changed sessions."""
    keys = _lease_keys(_targets(session_id, scope), data)
    for _attempt in range(3):
        with api_leases(sorted(keys)):
            # Re-read under the leases: what we read before may have changed meanwhile.
            targets = _targets(session_id, scope)
            needed = _lease_keys(targets, data)
            if needed <= keys:
                return _apply(targets, data, check_etag)
        keys |= needed
    raise ApiError(409, "The session kept changing while we tried to reschedule it; retry.",
                   code="schedule_busy", headers={"Retry-After": "1"})


def _cancel_one(session: LiveSession) -> None:
    update_with_events(session, {"status": "cancelled", "cancelled_at": utcnow(),
                                 "sequence": session.sequence + 1},
                       lambda doc: [session_event("cancelled", doc)])


def cancel(session_id: str, scope: str, check_etag: EtagCheck) -> tuple[LiveSession, list]:
    """Cancel a session (or it and the following ones); cancelling twice changes nothing."""
    offering_id = load_session(session_id).offering_id
    with api_leases([offering_key(offering_id)]):
        targets = _targets(session_id, scope)
        check_etag(targets[0])
        changed = [t for t in targets if t.status == "scheduled"]
        with stamping(offering_id):
            for session in changed:
                _cancel_one(session)
    return targets[0], changed


def cancel_offering(offering_id: str) -> int:
    """Cancel every scheduled session of a cancelled offering (worker); returns how many."""
    # Waiting longer than a lease lives means a crashed holder's lease is broken, not waited on.
    with holding([offering_key(offering_id)], wait_seconds=LEASE_SECONDS + 5):
        sessions = list(LiveSession.objects(offering_id=offering_id, status="scheduled"))
        with stamping(offering_id):
            for session in sessions:
                _cancel_one(session)
    return len(sessions)
