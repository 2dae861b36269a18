"""Running a lottery offering's draw once, storing it, and applying it to the applications."""

from __future__ import annotations

import logging
from datetime import timedelta

from mongoengine.errors import NotUniqueError

from meridian_common.events.envelope import as_utc, utcnow

from ..domain import lottery
from ..domain.refusals import CONFLICT, Refusal
from ..domain.seats import free_seat_numbers
from ..domain.windows import draw_refusal
from ..events.payloads import enrollment_event
from ..ledger import seats, transitions, waitlist
from ..ledger.store import insert_claim, key
from ..ledger.transitions import Contended
from ..models import Enrollment, EnrollmentOfferingView, EnrollmentTransition, LotteryDraw
from .promote import promote_waiters
from .reconcile import release_uncommitted

log = logging.getLogger(__name__)
APPLY_LOCK_STALE = timedelta(minutes=5)


def run_draw(offering: EnrollmentOfferingView, seed: str | None, quotas: dict[str, int] | None,
             drawn_by: str) -> LotteryDraw:
    """Draw once (later calls with the same or no seed return the stored draw) and apply it."""
    refusal = draw_refusal(offering.status, offering.selection, offering.enrollment_closes_at,
                           utcnow())
    if refusal is not None:
        raise refusal
    draw = LotteryDraw.objects(id=offering.id).first()
    if draw is not None:
        _check_same_request(draw, seed, quotas)
        apply_draw(draw)
        return draw
    # The lock is taken before the draw is stored, so a crash in between leaves a stale lock
    # that the repair sweep finds and finishes from.
    if not _take_apply_lock(offering.id):
        raise Refusal(CONFLICT, "draw_in_progress", "The draw is running; ask again shortly.",
                      headers={"Retry-After": "2"})
    try:
        draw = _store_new_draw(offering, seed or lottery.new_seed(), quotas or {}, drawn_by)
        _check_same_request(draw, seed, quotas)
        _apply_locked(draw)
    finally:
        _release_apply_lock(offering.id)
    promote_waiters(offering.id)
    return draw


def _check_same_request(draw: LotteryDraw, seed: str | None, quotas: dict | None) -> None:
    if (seed is not None and seed != draw.seed) or (quotas is not None
                                                    and quotas != dict(draw.quotas)):
        raise Refusal(CONFLICT, "already_drawn",
                      f"This lottery was already drawn with seed '{draw.seed}'; a draw runs "
                      "once. Repeat the call without a seed to read its result.")


def _store_new_draw(offering: EnrollmentOfferingView, seed: str, quotas: dict[str, int],
                    drawn_by: str) -> LotteryDraw:
    rows = Enrollment._get_collection().find({"offering_id": offering.id, "status": "applied"},
                                             {"student_id": 1, "institution_id": 1})
    institutions = {row["student_id"]: row.get("institution_id") for row in rows}
    taken = seats.taken_numbers(offering.id)
    places = len(free_seat_numbers(offering.capacity, taken))
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
        # A concurrent call drew first: its draw is the one.
        return LotteryDraw.objects(id=offering.id).first()
    log.info("lottery %s drawn: %d selected, %d waitlisted", offering.id,
             len(result.selected), len(result.waitlisted))
    return draw


def draw_lock_is_stale(created_at) -> bool:
    """Whether an apply lock is old enough for its holder to be presumed dead."""
    return as_utc(created_at) < utcnow() - APPLY_LOCK_STALE


def _take_apply_lock(offering_id: str) -> bool:
    collection = EnrollmentTransition._get_collection()
    lock = {"_id": key("apply-draw", offering_id), "enrollment_id": offering_id,
            "offering_id": offering_id, "from_version": 0, "action": "apply-draw",
            "created_at": utcnow()}
    if insert_claim(collection, lock):
        return True
    stale = collection.find_one({"_id": lock["_id"]})
    if stale and draw_lock_is_stale(stale["created_at"]):
        collection.delete_one({"_id": lock["_id"], "created_at": stale["created_at"]})
        return insert_claim(collection, lock)
    return False


def _release_apply_lock(offering_id: str) -> None:
    EnrollmentTransition._get_collection().delete_one({"_id": key("apply-draw", offering_id)})


def apply_draw(draw: LotteryDraw) -> None:
    """Turn the still-applied enrollments into confirmed or waitlisted ones, in draw order."""
    if not _take_apply_lock(draw.id):
        return  # another process applies this draw; waitlist order needs a single applier
    try:
        _apply_locked(draw)
    finally:
        _release_apply_lock(draw.id)
    promote_waiters(draw.id)


def _apply_locked(draw: LotteryDraw) -> None:
    pending = {e.student_id: e for e in Enrollment.objects(offering_id=draw.id,
                                                           status="applied")}
    offering = EnrollmentOfferingView.objects(id=draw.id).first()
    if not pending or offering is None:
        return
    selected = set(draw.selected)
    for student_id in [*draw.selected, *draw.waitlisted]:
        if student_id in pending:
            _apply_one(offering, draw, pending[student_id], student_id in selected)


def _apply_one(offering: EnrollmentOfferingView, draw: LotteryDraw, enrollment: Enrollment,
               selected: bool) -> None:
    try:
        transitions.begin(enrollment, "draw")
    except Contended:
        return  # withdrawing at this very moment; the repair sweep re-applies if need be
    if selected and _claim_places(offering, draw, enrollment):
        kind, changes, position = "confirmed", {"status": "confirmed"}, None
    else:
        ticket = waitlist.take_ticket(offering.id, enrollment.id)
        kind, changes = "waitlisted", {"status": "waitlisted", "ticket": ticket}
        position = waitlist.position(offering.id, ticket)
    try:
        transitions.commit(enrollment, changes,
                           lambda doc: enrollment_event(kind, doc, position))
    except Contended:
        release_uncommitted(offering.id, enrollment.id, None)
        return
    transitions.finish(enrollment)


def _claim_places(offering: EnrollmentOfferingView, draw: LotteryDraw,
                  enrollment: Enrollment) -> bool:
    if seats.claim(offering.id, offering.capacity, enrollment.id) is None:
        return False
    institution = enrollment.institution_id
    if institution in draw.quotas and seats.claim_quota(
            offering.id, institution, draw.quotas[institution], enrollment.id) is None:
        seats.release_seat(offering.id, enrollment.id)
        return False
    return True
