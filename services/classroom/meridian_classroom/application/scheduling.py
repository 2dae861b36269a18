"""Writing sessions: new series, reschedules and cancellations, each under the schedule lease.

Checking for double bookings and then writing is read-then-write; the lease of the offering
and of every instructor involved makes writers of one schedule take turns (see the adapter).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from meridian_common.conflicts import Conflict

from ..domain import session as life
from ..domain.access import Caller
from ..domain.jitsi import new_room_name
from ..domain.overlap import Booking
from ..domain.recurrence import ScheduleError, expand
from ..domain.reschedule import Placement, replan, timing_changes
from ..domain.session import Session
from . import access
from .classroom import Classroom
from .conflicts import refuse_conflicts
from .errors import ScheduleBusy, Unprocessable

# Below the gateway's 5 s upstream timeout, so a busy schedule answers 409, not a 504.
API_WAIT_SECONDS = 3.0
# Longer than a lease lives, so the worker breaks a crashed holder's lease instead of failing.
WORKER_WAIT_SECONDS = 35.0
VersionCheck = Callable[[Session], None]


def offering_key(offering_id: str) -> str:
    """The lease guarding an offering's cohort and its session documents."""
    return f"offering:{offering_id}"


def instructor_key(user_id: str) -> str:
    """The lease guarding one instructor's bookings across all offerings."""
    return f"instructor:{user_id}"


def unprocessable(exc: ScheduleError) -> Unprocessable:
    """The refusal for times that cannot be scheduled."""
    return Unprocessable(str(exc), exc.errors, code="invalid_schedule")


def schedule_series(app: Classroom, caller: Caller, offering_id: str,
                    data: dict) -> tuple[str, list[Session]]:
    """Store a checked series; Conflict listing every clash, and nothing stored, if it clashes."""
    view = access.offering(app, offering_id)
    access.require_manage(view, caller)
    if view.status != "open":
        raise Conflict("offering_cancelled",
                       "The offering is cancelled; no sessions can be scheduled.")
    access.require_faculty_instructors(view, data["instructors"])
    repeat = data.get("repeat") or {}
    try:
        occurrences = expand(data["start"], data["timezone"], data["duration_minutes"],
                             repeat.get("frequency"), repeat.get("count", 1), data["fold"])
    except ScheduleError as exc:
        raise unprocessable(exc) from exc
    details = life.Details(kind=data["kind"], title=data["title"], timezone=data["timezone"],
                           duration_minutes=data["duration_minutes"],
                           instructors=tuple(data["instructors"]))
    series_id = app.new_id("ser")
    events = life.schedule(series_id, [app.new_id("ses") for _ in occurrences], offering_id,
                           details, occurrences, app.clock.now(),
                           [new_room_name() for _ in occurrences])
    keys = [offering_key(offering_id)] + [instructor_key(u) for u in details.instructors]
    with app.lease.holding(keys, API_WAIT_SECONDS):
        refuse_conflicts(app, caller, offering_id, [Booking(
            ref=f"new:{o.index}", offering_id=offering_id, start=o.start, end=o.end,
            instructors=frozenset(details.instructors)) for o in occurrences], exclude=set())
        app.sessions.add(events)
    return series_id, [event.session for event in events]


def _targets(app: Classroom, session_id: str, scope: str) -> list[Session]:
    main = access.session(app, session_id)
    return [main, *app.sessions.following(main)] if scope == "following" else [main]


def _lease_keys(targets: list[Session], data: dict) -> set[str]:
    keys = {offering_key(targets[0].offering_id)}
    for target in targets:
        keys.update(instructor_key(u) for u in target.instructors)
    keys.update(instructor_key(u) for u in data.get("instructors") or [])
    return keys


def _placement(session: Session) -> Placement:
    return Placement(wall_start=datetime.fromisoformat(session.wall_start),
                     zone=session.timezone, fold=session.fold,
                     duration_minutes=session.duration_minutes)


def _apply(app: Classroom, caller: Caller, targets: list[Session], data: dict,
           check_version: VersionCheck) -> list[Session]:
    main = targets[0]
    check_version(main)
    life.ensure_changeable(main)
    timing = timing_changes(data.get("start"), data.get("timezone"), data.get("fold"),
                            data.get("duration_minutes"))
    try:
        plan = replan([_placement(t) for t in targets], start=data.get("start"),
                      zone=data.get("timezone"), fold=data.get("fold"),
                      duration=data.get("duration_minutes")) if timing else None
    except ScheduleError as exc:
        raise unprocessable(exc) from exc
    instructors = tuple(data["instructors"]) if data.get("instructors") is not None else None
    if plan or instructors is not None:
        refuse_conflicts(app, caller, main.offering_id, [Booking(
            ref=t.id, offering_id=t.offering_id,
            start=plan[i].start if plan else t.start, end=plan[i].end if plan else t.end,
            instructors=frozenset(instructors or t.instructors)) for i, t in enumerate(targets)],
            exclude={t.id for t in targets})
    now, changed = app.clock.now(), []
    for i, target in enumerate(targets):
        event = life.reschedule(target, now, kind=data.get("kind"), title=data.get("title"),
                                instructors=instructors, placed=plan[i] if plan else None,
                                timezone=data.get("timezone"),
                                duration_minutes=data.get("duration_minutes"))
        app.sessions.save(event)
        changed.append(event.session)
    return changed


def reschedule(app: Classroom, caller: Caller, session_id: str, data: dict, scope: str,
               check_version: VersionCheck) -> list[Session]:
    """Move or edit a session (or it and the following ones); returns the changed sessions."""
    first = access.session(app, session_id)
    view = access.offering(app, first.offering_id)
    access.require_manage(view, caller)
    if "instructors" in data:
        access.require_faculty_instructors(view, data["instructors"])
    keys = _lease_keys(_targets(app, session_id, scope), data)
    for _attempt in range(3):
        with app.lease.holding(sorted(keys), API_WAIT_SECONDS):
            # Re-read under the lease: what we read before may have changed meanwhile.
            targets = _targets(app, session_id, scope)
            needed = _lease_keys(targets, data)
            if needed <= keys:
                return _apply(app, caller, targets, data, check_version)
        keys |= needed
    raise ScheduleBusy("The session kept changing while we tried to reschedule it; retry.")


def _cancel_all(app: Classroom, sessions: list[Session],
                reason: str | None = None) -> list[Session]:
    now, changed = app.clock.now(), []
    for target in sessions:
        event = life.cancel(target, now, reason)
        if event is not None:
            app.sessions.save(event)
            changed.append(event.session)
    return changed


def cancel(app: Classroom, caller: Caller, session_id: str, scope: str,
           check_version: VersionCheck) -> tuple[Session, list[Session]]:
    """Cancel a session (or it and the following ones); cancelling twice changes nothing."""
    first = access.session(app, session_id)
    access.require_manage(access.offering(app, first.offering_id), caller)
    with app.lease.holding([offering_key(first.offering_id)], API_WAIT_SECONDS):
        targets = _targets(app, session_id, scope)
        check_version(targets[0])
        changed = _cancel_all(app, targets)
    main = next((s for s in changed if s.id == session_id), targets[0])
    return main, changed


OFFERING_CANCELLED_REASON = "offering_cancelled"


def cancel_offering(app: Classroom, offering_id: str) -> int:
    """Cancel every scheduled session of a cancelled offering (worker); returns how many."""
    with app.lease.holding([offering_key(offering_id)], WORKER_WAIT_SECONDS):
        return len(_cancel_all(app, app.sessions.scheduled_of(offering_id),
                               OFFERING_CANCELLED_REASON))
