"""Use cases for consumed events: keep the read models, plan the notices each event causes."""

from __future__ import annotations

from meridian_common.events import types

from ..domain import kinds
from . import delivery_reminders as reminders
from .delivery_planning import Notice, iso, join_path, plan, session_dict
from .delivery_ports import Delivery, SessionFacts

OFFERING_CANCELLED_REASON = "offering_cancelled"
ACTIVE = ("confirmed", "waitlisted", "applied")
# The enrollment service cancels enrollments when their offering is cancelled; those students
# still hear about the cancellation, whichever of the two events arrives first.
TOLD_OF_CANCELLATION = (*ACTIVE, "cancelled")
PLAIN_KINDS = {types.ENROLLMENT_CONFIRMED: kinds.ENROLLMENT_CONFIRMED,
               types.ENROLLMENT_WAITLISTED: kinds.ENROLLMENT_WAITLISTED,
               types.ENROLLMENT_PROMOTED: kinds.ENROLLMENT_PROMOTED,
               types.ENROLLMENT_WITHDRAWN: kinds.ENROLLMENT_WITHDRAWN}
SESSION_KINDS = {types.SESSION_SCHEDULED: kinds.SESSION_SCHEDULED,
                 types.SESSION_RESCHEDULED: kinds.SESSION_RESCHEDULED,
                 types.SESSION_CANCELLED: kinds.SESSION_CANCELLED}


def course_announced(ctx: Delivery, payload: dict) -> None:
    """Remember a course's code and title."""
    ctx.directory.record_course(payload["course_id"], payload["version"], payload["code"],
                                payload["title"])


def offering_announced(ctx: Delivery, event_id: str, event_type: str, payload: dict) -> int:
    """Remember an offering; a cancellation tells its students and faculty."""
    faculty = [member["user_id"] for member in payload["faculty"]]
    ctx.directory.record_offering(payload["offering_id"], payload["version"],
                                  payload["course_id"], payload["status"], faculty)
    if event_type != types.OFFERING_CANCELLED:
        return 0
    offering_id = payload["offering_id"]
    students = ctx.directory.students(offering_id, TOLD_OF_CANCELLATION)
    facts = {"offering_id": offering_id, **ctx.directory.course_of(offering_id)}
    return plan(ctx, event_id, Notice(kinds.OFFERING_CANCELLED, facts, "/courses"),
                [*students, *faculty])


def enrollment_changed(ctx: Delivery, event_id: str, event_type: str, payload: dict) -> int:
    """Keep the roster; tell the student what happened to their enrollment."""
    offering_id, student = payload["offering_id"], payload["student_id"]
    ctx.directory.record_enrollment(offering_id, student, payload["version"], payload["status"])
    # Read back rather than trusting the write's answer: a retry after a failure halfway
    # finds its own write already stored and must still finish the job.
    current = ctx.directory.status_of(offering_id, student) == payload["status"]
    if current and payload["status"] == "confirmed":
        reminders.plan_for_student(ctx, offering_id, student)
    elif current and payload["status"] not in ACTIVE:
        ctx.reminders.drop_recipient(offering_id, student, ctx.clock.now())
    kind = PLAIN_KINDS.get(event_type)
    if kind is None:
        return 0
    facts = {"offering_id": offering_id, **ctx.directory.course_of(offering_id),
             "waitlist_position": payload.get("waitlist_position")}
    draw = payload.get("draw")
    if draw and event_type in (types.ENROLLMENT_CONFIRMED, types.ENROLLMENT_WAITLISTED):
        kind = kinds.LOTTERY_RESULT
        facts["draw"] = {**draw, "drawn_at": iso(draw["drawn_at"])}
    return plan(ctx, event_id, Notice(kind, facts, "/timetable"), [student])


def session_facts(payload: dict) -> SessionFacts:
    """The read model's view of a session event."""
    return SessionFacts(session_id=payload["session_id"], offering_id=payload["offering_id"],
                        title=payload["title"], kind=payload["kind"], start=payload["start"],
                        end=payload["end"], timezone=payload["timezone"],
                        sequence=payload["sequence"], status=payload["status"],
                        uid=payload.get("uid") or f"{payload['session_id']}@meridian",
                        instructors=tuple(payload["instructors"]))


def audience(ctx: Delivery, facts: SessionFacts) -> list[str]:
    """Everyone a session concerns: confirmed students, the offering's faculty, its teachers."""
    return [*ctx.directory.students(facts.offering_id, ("confirmed",)),
            *ctx.directory.faculty(facts.offering_id), *facts.instructors]


def session_changed(ctx: Delivery, event_id: str, event_type: str, payload: dict) -> int:
    """Keep the session's read model and reminders; tell its audience (with an invitation)."""
    facts = session_facts(payload)
    ctx.directory.record_session(facts)
    known = ctx.directory.session(facts.session_id)
    if known is not None and known.sequence > facts.sequence:
        return 0  # an older state than the one already known: nothing to tell any more
    # The same state again (a redelivery, or a retry after a failure halfway) plans again:
    # whatever was stored already keeps its key and is skipped.
    now = ctx.clock.now()
    if event_type == types.SESSION_CANCELLED:
        ctx.reminders.drop_session(facts.session_id, now)
        if payload.get("reason") == OFFERING_CANCELLED_REASON:
            return 0  # the offering's cancellation notice covers its sessions
    else:
        ctx.reminders.drop_session(facts.session_id, now, keep_start=facts.start)
        reminders.plan_for_session(ctx, facts)
    session = session_dict(facts, payload.get("previous_start"))
    notice_facts = {"offering_id": facts.offering_id, **ctx.directory.course_of(
        facts.offering_id), "session": session}
    return plan(ctx, event_id, Notice(SESSION_KINDS[event_type], notice_facts,
                                      join_path(session)), audience(ctx, facts))
