"""Reminders before sessions: durable jobs planned per reader's offsets, fired when due.

A job carries the start it was planned for; a session that moved gets new jobs (the old ones
are forgotten) and a job whose session is gone, cancelled or moved, or whose offset its reader
no longer wants, is dropped when it comes due.
Offsets are elapsed time: "1 hour before" is 60 minutes before the start in UTC, whatever the
wall clocks did in between (a DST change moves the local hour, not the instant).
"""

from __future__ import annotations

import logging

from ..domain import kinds
from ..domain.preferences import DEFAULT_REMINDERS
from ..domain.reminder import ScheduledReminder, plan_reminders
from .delivery_planning import Notice, join_path, plan, session_dict
from .delivery_ports import Delivery, SessionFacts

log = logging.getLogger(__name__)
FIRE_BATCH = 500


def _offsets(ctx: Delivery, people: list[str]) -> dict[str, tuple[int, ...]]:
    known = ctx.preferences.many(people)
    return {p: (known[p].reminders_minutes if p in known else DEFAULT_REMINDERS)
            for p in people}


def _jobs(ctx: Delivery, facts: SessionFacts, people: list[str],
          offsets_of: dict[str, tuple[int, ...]] | None = None) -> list[ScheduledReminder]:
    now = ctx.clock.now()
    jobs: list[ScheduledReminder] = []
    for person, offsets in (offsets_of or _offsets(ctx, people)).items():
        jobs.extend(plan_reminders(session_id=facts.session_id, offering_id=facts.offering_id,
                                   recipient=person, session_start=facts.start,
                                   offsets=offsets, now=now))
    return jobs


def plan_for_session(ctx: Delivery, facts: SessionFacts) -> int:
    """Jobs for everyone the session concerns (none once it started or was cancelled)."""
    if facts.status != "scheduled":
        return 0
    people = list(dict.fromkeys([*ctx.directory.students(facts.offering_id, ("confirmed",)),
                                 *ctx.directory.faculty(facts.offering_id),
                                 *facts.instructors]))
    return ctx.reminders.add(_jobs(ctx, facts, people))


def plan_for_student(ctx: Delivery, offering_id: str, student: str) -> int:
    """Jobs for a newly confirmed student, for the offering's coming sessions."""
    sessions = ctx.directory.upcoming_sessions(offering_id, ctx.clock.now())
    if not sessions:
        return 0
    offsets = _offsets(ctx, [student])
    return ctx.reminders.add([job for facts in sessions
                              for job in _jobs(ctx, facts, [student], offsets)])


def _still_wanted(ctx: Delivery, job: ScheduledReminder, facts: SessionFacts | None,
                  offsets: tuple[int, ...]) -> bool:
    if facts is None or facts.status != "scheduled" or facts.start != job.session_start:
        return False
    if job.offset_minutes not in offsets:
        return False  # the reader chose other offsets since (a re-plan may still be pending)
    if job.recipient in facts.instructors or job.recipient in ctx.directory.faculty(
            job.offering_id):
        return True
    return ctx.directory.status_of(job.offering_id, job.recipient) == "confirmed"


def fire_due(ctx: Delivery, limit: int = FIRE_BATCH) -> tuple[int, list[float]]:
    """Turn due jobs into reminder notices; returns how many fired and their lags (s)."""
    now = ctx.clock.now()
    fired, lags = 0, []
    due = ctx.reminders.due(now, limit)
    offsets_of = _offsets(ctx, list(dict.fromkeys(job.recipient for job in due))) if due else {}
    for job in due:
        facts = ctx.directory.session(job.session_id)
        if not _still_wanted(ctx, job, facts, offsets_of[job.recipient]):
            ctx.reminders.mark(job.dropped(now))
            continue
        session = session_dict(facts)
        notice = Notice(kinds.REMINDER, {"offering_id": job.offering_id,
                                         **ctx.directory.course_of(job.offering_id),
                                         "session": session,
                                         "offset_minutes": job.offset_minutes},
                        join_path(session))
        plan(ctx, job.key, notice, [job.recipient])
        ctx.reminders.mark(job.fired(now))
        fired += 1
        lags.append((now - job.due_at).total_seconds())
    if fired:
        log.info("fired %d reminders", fired)
    return fired, lags
