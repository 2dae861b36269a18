"""Re-planning a user's reminders after they chose other offsets.

The API only records a request (`ReplanRequests`); the worker's scheduler carries it out, so
reminder jobs keep one writer. A request waits until the preferences it announces are
stored, or until REPLAN_PATIENCE passed (the change was never stored: the API failed in
between), and is then carried out on whatever preferences are stored: idempotent, so a
request done twice or for a change that lost a race plans nothing wrong.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from ..domain.preferences import DEFAULT_REMINDERS
from ..domain.reminder import plan_reminders
from .delivery_ports import Delivery

log = logging.getLogger(__name__)
REPLAN_BATCH = 200
REPLAN_PATIENCE = timedelta(minutes=1)


def replan_for_user(ctx: Delivery, user_id: str) -> tuple[int, int]:
    """Plan the user's reminders for every coming session they take part in with their
    current offsets; forget scheduled jobs those offsets no longer ask for.

    Returns (planned, forgotten).
    """
    now = ctx.clock.now()
    prefs = ctx.preferences.many([user_id]).get(user_id)
    offsets = prefs.reminders_minutes if prefs is not None else DEFAULT_REMINDERS
    wanted = [job for facts in ctx.directory.upcoming_sessions_of(user_id, now)
              for job in plan_reminders(session_id=facts.session_id,
                                        offering_id=facts.offering_id, recipient=user_id,
                                        session_start=facts.start, offsets=offsets, now=now)]
    keys = {job.key for job in wanted}
    stale = [job.key for job in ctx.reminders.scheduled_for(user_id) if job.key not in keys]
    forgotten = ctx.reminders.forget(stale) if stale else 0
    return ctx.reminders.add(wanted), forgotten


def apply_replans(ctx: Delivery, limit: int = REPLAN_BATCH) -> int:
    """Carry out the re-plan requests whose change is stored; returns how many were done."""
    if ctx.replans is None:
        return 0
    now, done = ctx.clock.now(), 0
    for request in ctx.replans.pending(limit):
        prefs = ctx.preferences.many([request.user_id]).get(request.user_id)
        stored = prefs.version if prefs is not None else 0
        if stored < request.version and now - request.requested_at < REPLAN_PATIENCE:
            continue  # the change is still on its way to the store
        planned, forgotten = replan_for_user(ctx, request.user_id)
        ctx.replans.done(request)
        done += 1
        log.info("re-planned reminders of %s: %d planned, %d forgotten", request.user_id,
                 planned, forgotten)
    return done
