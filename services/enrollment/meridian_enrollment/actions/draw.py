"""Running a lottery offering's draw once, storing it, and applying it to the applications.

The stored draw is the commit point. Applying it (each application becomes confirmed or
waitlisted, in draw order) needs a single applier, guarded by an insert-claimed lock; the
drawing request applies what it can within APPLY_BUDGET and the worker's repair sweep
finishes the rest, so a large lottery never holds a request past the gateway's timeout.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from mongoengine.errors import NotUniqueError

from meridian_common.events.envelope import utcnow

from ..domain import lottery
from ..domain.refusals import CONFLICT, Refusal
from ..domain.seats import free_seat_numbers
from ..domain.windows import draw_refusal
from ..events.payloads import enrollment_event
from ..ledger import seats, students, transitions, waitlist
from ..ledger.draw_lock import release_apply_lock, take_apply_lock
from ..ledger.transitions import Contended
from ..models import Enrollment, EnrollmentOfferingView, LotteryDraw
from .promote import promote_waiters

log = logging.getLogger(__name__)
APPLY_BUDGET = timedelta(seconds=1.5)


def run_draw(offering: EnrollmentOfferingView, seed: str | None, quotas: dict[str, int] | None,
             drawn_by: str) -> LotteryDraw:
    """Draw once (later calls with the same or no seed return the stored draw) and apply it."""
    refusal = draw_refusal(offering.status, offering.selection, offering.enrollment_closes_at,
                           utcnow())
    if refusal is not None:
        raise refusal
    draw = LotteryDraw.objects(id=offering.id).first()
    if draw is not None:
        # Unfinished applications are resumed by the worker (reading them is not cheap).
        _check_same_request(draw, seed, quotas)
        return draw
    # The lock is taken before the draw is stored, so no second draw can start meanwhile.
    if not take_apply_lock(offering.id):
        raise Refusal(CONFLICT, "draw_in_progress", "The draw is running; ask again shortly.",
                      headers={"Retry-After": "2"})
    try:
        pending = _fresh_applications(offering.id)
        draw = _store_new_draw(offering, seed or lottery.new_seed(), quotas or {}, drawn_by,
                               pending)
        _check_same_request(draw, seed, quotas)
        _apply_locked(draw, offering, pending, utcnow() + APPLY_BUDGET)
    finally:
        release_apply_lock(offering.id)
    promote_waiters(offering.id, offering)
    return draw


def _check_same_request(draw: LotteryDraw, seed: str | None, quotas: dict | None) -> None:
    if (seed is not None and seed != draw.seed) or (quotas is not None
                                                    and quotas != dict(draw.quotas)):
        raise Refusal(CONFLICT, "already_drawn",
                      f"This lottery was already drawn with seed '{draw.seed}'; a draw runs "
                      "once. Repeat the call without a seed to read its result.")


def _applications(offering_id: str) -> dict[str, Enrollment]:
    """Still-applied enrollments, read from the enrollments themselves (resuming a draw)."""
    return {e.student_id: e for e in Enrollment.objects(offering_id=offering_id,
                                                        status="applied").exclude("outbox")}


def _fresh_applications(offering_id: str) -> dict[str, Enrollment]:
    """Before its draw, a lottery's active places are exactly its applications (version 1),
    and the offering's small ledger lists them without reading the enrollments collection."""
    return {row["_id"]: Enrollment(id=row["enrollment_id"], offering_id=offering_id,
                                   student_id=row["_id"], institution_id=row.get("institution_id"),
                                   status="applied", version=1)
            for row in students.active(offering_id)}


def _store_new_draw(offering: EnrollmentOfferingView, seed: str, quotas: dict[str, int],
                    drawn_by: str, pending: dict[str, Enrollment]) -> LotteryDraw:
    institutions = {sid: enrollment.institution_id for sid, enrollment in pending.items()}
    places = len(free_seat_numbers(offering.capacity, seats.taken_numbers(offering.id)))
    result = lottery.draw(seed, institutions, places, quotas)
    draw = LotteryDraw(id=offering.id, seed=seed, algorithm=lottery.ALGORITHM,
                       applicants=[{"student_id": sid, "institution_id": institutions[sid]}
                                   for sid in sorted(institutions)],
                       applicants_digest=lottery.applicants_digest(list(institutions)),
                       places=places, quotas=quotas, selected=result.selected,
                       waitlisted=result.waitlisted, drawn_by=drawn_by, created_at=utcnow())
    try:
        draw.save(force_insert=True)
    except NotUniqueError:
        # Only after a stale lock was taken over: the earlier draw stands.
        return LotteryDraw.objects(id=offering.id).first()
    log.info("lottery %s drawn: %d selected, %d waitlisted", offering.id,
             len(result.selected), len(result.waitlisted))
    return draw


def apply_draw(draw: LotteryDraw) -> bool:
    """Finish applying a stored draw (the worker's job); True once it is fully applied."""
    if not take_apply_lock(draw.id):
        return False  # another process applies it; waitlist order needs a single applier
    try:
        offering = EnrollmentOfferingView.objects(id=draw.id).first()
        done = offering is not None and _apply_locked(draw, offering,
                                                      _applications(draw.id), None)
    finally:
        release_apply_lock(draw.id)
    if offering is not None:
        promote_waiters(draw.id, offering)
    return done


def _apply_locked(draw: LotteryDraw, offering: EnrollmentOfferingView,
                  pending: dict[str, Enrollment], deadline: datetime | None) -> bool:
    selected = set(draw.selected)
    for student_id in [*draw.selected, *draw.waitlisted]:
        if deadline is not None and utcnow() > deadline:
            return False
        if student_id in pending:
            _apply_one(offering, draw, pending[student_id], student_id in selected)
    # Under the apply lock this process is the draw document's only writer.
    draw.applied_at = utcnow()
    LotteryDraw.objects(id=draw.id).update_one(set__applied_at=draw.applied_at)
    return True


def _apply_one(offering: EnrollmentOfferingView, draw: LotteryDraw, enrollment: Enrollment,
               selected: bool) -> None:
    try:
        transitions.begin(enrollment, "draw")
    except Contended:
        return  # withdrawing at this very moment; the sweep re-applies if it stays applied
    places = _claim_places(offering, draw, enrollment) if selected else None
    ticket = None
    if places is not None:
        kind, changes, position = "confirmed", {"status": "confirmed"}, None
    else:
        ticket = waitlist.take_ticket(offering.id, enrollment.id)
        kind, changes = "waitlisted", {"status": "waitlisted", "ticket": ticket}
        position = waitlist.position(offering.id, ticket)
    try:
        transitions.commit(enrollment, changes,
                           lambda doc: enrollment_event(kind, doc, position))
    except Contended:
        # The application had already moved on: undo exactly what this attempt claimed.
        if places is not None:
            _release_places(offering, enrollment, places)
        waitlist.depart(offering.id, ticket, enrollment.id)
        return
    transitions.finish(enrollment)


def _claim_places(offering: EnrollmentOfferingView, draw: LotteryDraw,
                  enrollment: Enrollment) -> tuple[int, int | None] | None:
    seat = seats.claim(offering.id, offering.capacity, enrollment.id)
    if seat is None:
        return None
    institution, place = enrollment.institution_id, None
    if institution in draw.quotas:
        place = seats.claim_quota(offering.id, institution, draw.quotas[institution],
                                  enrollment.id)
        if place is None:
            seats.release_number(offering.id, seat, enrollment.id)
            return None
    return seat, place


def _release_places(offering: EnrollmentOfferingView, enrollment: Enrollment,
                    places: tuple[int, int | None]) -> None:
    seat, place = places
    seats.release_number(offering.id, seat, enrollment.id)
    if place is not None:
        seats.release_quota_number(offering.id, enrollment.institution_id, place,
                                   enrollment.id)
