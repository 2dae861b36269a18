"""Running a lottery offering's draw once, storing it, and applying it to the applications.

The stored draw is the commit point. Applying it (each application becomes confirmed or
waitlisted, in draw order) needs a single applier, the holder of the offering's draw lock;
the drawing request applies what it can within APPLY_BUDGET and the worker's repair sweep
finishes the rest, so a large lottery never holds a request past the gateway's timeout.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from meridian_common.events.envelope import as_utc

from ..domain import lifecycle, lottery
from ..domain.lifecycle import Enrollment
from ..domain.offering import Draw, OfferingView
from ..domain.refusals import CONFLICT, Refusal
from ..domain.windows import draw_refusal
from .ports import Ports, QuotaPlace, Seat
from .promote import promote_waiters

log = logging.getLogger(__name__)
APPLY_BUDGET = timedelta(seconds=1.5)


def run_draw(ports: Ports, offering: OfferingView, seed: str | None,
             quotas: dict[str, int] | None, drawn_by: str) -> Draw:
    """Draw once (later calls with the same or no seed return the stored draw) and apply it."""
    refusal = draw_refusal(offering.status, offering.selection, offering.enrollment_closes_at,
                           ports.clock.now())
    if refusal is not None:
        raise refusal
    draw = ports.draws.get(offering.id)
    if draw is not None:
        # Unfinished applications are resumed by the worker (reading them is not cheap).
        _check_same_request(draw, seed, quotas)
        return draw
    # The lock is taken before the draw is stored, so no second draw can start meanwhile.
    if not ports.draws.lock(offering.id):
        raise Refusal(CONFLICT, "draw_in_progress", "The draw is running; ask again shortly.",
                      headers={"Retry-After": "2"})
    try:
        pending = _applications(ports, offering.id)
        draw = _store_new_draw(ports, offering, seed or lottery.new_seed(), quotas or {},
                               drawn_by, pending)
        _check_same_request(draw, seed, quotas)
        _apply_locked(ports, draw, offering, pending, ports.clock.now() + APPLY_BUDGET)
    finally:
        ports.draws.unlock(offering.id)
    promote_waiters(ports, offering.id, offering)
    return ports.draws.get(offering.id) or draw


def apply_draw(ports: Ports, draw: Draw) -> bool:
    """Finish applying a stored draw (the worker's job); True once it is fully applied."""
    if not ports.draws.lock(draw.offering_id):
        return False  # another process applies it; waitlist order needs a single applier
    offering = ports.offerings.get(draw.offering_id)
    try:
        done = offering is not None and _apply_locked(
            ports, draw, offering, _applications(ports, draw.offering_id), None)
    finally:
        ports.draws.unlock(draw.offering_id)
    if offering is not None:
        promote_waiters(ports, draw.offering_id, offering)
    return done


def _check_same_request(draw: Draw, seed: str | None, quotas: dict | None) -> None:
    if (seed is not None and seed != draw.seed) or (quotas is not None
                                                    and quotas != dict(draw.quotas)):
        raise Refusal(CONFLICT, "already_drawn",
                      f"This lottery was already drawn with seed '{draw.seed}'; a draw runs "
                      "once. Repeat the call without a seed to read its result.")


def _applications(ports: Ports, offering_id: str) -> dict[str, Enrollment]:
    """Still-applied enrollments by student id."""
    return {e.student_id: e for e in ports.enrollments.of_offering(offering_id,
                                                                   (lifecycle.APPLIED,))}


def _store_new_draw(ports: Ports, offering: OfferingView, seed: str, quotas: dict[str, int],
                    drawn_by: str, pending: dict[str, Enrollment]) -> Draw:
    institutions = {sid: enrollment.institution_id for sid, enrollment in pending.items()}
    places = ports.seats.free(offering)
    result = lottery.draw(seed, institutions, places, quotas)
    stored = ports.draws.add(Draw(
        offering_id=offering.id, seed=seed, algorithm=lottery.ALGORITHM,
        applicants=[{"student_id": sid, "institution_id": institutions[sid]}
                    for sid in sorted(institutions)],
        applicants_digest=lottery.applicants_digest(list(institutions)), places=places,
        quotas=quotas, selected=result.selected, waitlisted=result.waitlisted,
        drawn_by=drawn_by, created_at=ports.clock.now()))
    log.info("lottery %s drawn: %d selected, %d waitlisted", offering.id,
             len(stored.selected), len(stored.waitlisted))
    return stored


def _apply_locked(ports: Ports, draw: Draw, offering: OfferingView,
                  pending: dict[str, Enrollment], deadline: datetime | None) -> bool:
    selected = set(draw.selected)
    for student_id in [*draw.selected, *draw.waitlisted]:
        if deadline is not None and ports.clock.now() > deadline:
            return False
        if student_id in pending:
            _apply_one(ports, offering, draw, pending[student_id], student_id in selected)
    ports.draws.mark_applied(draw.offering_id, ports.clock.now())
    return True


def _apply_one(ports: Ports, offering: OfferingView, draw: Draw, enrollment: Enrollment,
               selected: bool) -> None:
    if not ports.enrollments.hold(enrollment, "draw"):
        return  # withdrawing at this very moment; the sweep re-applies if it stays applied
    now = ports.clock.now()
    places = _claim_places(ports, offering, draw, enrollment) if selected else None
    ticket = None
    if places is not None:
        after, events = lifecycle.move(enrollment, "select", now)
    else:
        ticket = ports.waitlist.append(offering.id, enrollment.id)
        after, events = lifecycle.move(enrollment, "waitlist", now, ticket=ticket,
                                       position=ports.waitlist.position(offering.id, ticket))
    facts = _draw_facts(draw, selected=places is not None)
    events = [replace(event, draw=facts) for event in events]
    if ports.enrollments.update(enrollment, after, events) is None:
        # The application had already moved on: undo exactly what this attempt claimed.
        if places is not None:
            _release_places(ports, places)
        ports.waitlist.remove(offering.id, ticket, enrollment.id)
        return
    ports.enrollments.let_go(enrollment.id, enrollment.version)


def _draw_facts(draw: Draw, selected: bool) -> dict:
    """What the enrollment's event tells its student about the draw (contract `DrawFacts`)."""
    return {"seed": draw.seed, "algorithm": draw.algorithm, "drawn_at": as_utc(draw.created_at),
            "places": draw.places, "applicants": len(draw.applicants), "selected": selected,
            "how_to_verify": lottery.how_to_verify(draw.seed, draw.places, dict(draw.quotas))}


def _claim_places(ports: Ports, offering: OfferingView, draw: Draw,
                  enrollment: Enrollment) -> tuple[Seat, QuotaPlace | None] | None:
    seat = ports.seats.reserve(offering, enrollment.id)
    if seat is None:
        return None
    institution, place = enrollment.institution_id, None
    if institution in draw.quotas:
        place = ports.seats.reserve_quota(offering.id, institution, draw.quotas[institution],
                                          enrollment.id)
        if place is None:
            ports.seats.release(seat)
            return None
    return seat, place


def _release_places(ports: Ports, places: tuple[Seat, QuotaPlace | None]) -> None:
    seat, place = places
    ports.seats.release(seat)
    if place is not None:
        ports.seats.release_quota(place)
