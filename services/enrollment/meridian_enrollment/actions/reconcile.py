"""Making an enrollment's claims agree with its status (after a change, or after a crash)."""

from __future__ import annotations

from ..ledger import seats, students, waitlist
from ..ledger.store import ledger
from ..models import Enrollment


def _tickets_held(offering_id: str, enrollment_id: str) -> list[int]:
    return [row["_id"] for row in ledger(offering_id, "tickets").find(
        {"enrollment_id": enrollment_id}, {"_id": 1})]


def release_claims(enrollment: Enrollment) -> None:
    """Give back everything an ended enrollment held: seat, quota place, ticket, its place."""
    seats.release_all(enrollment.offering_id, enrollment.id)
    waitlist.depart(enrollment.offering_id, enrollment.ticket, enrollment.id)
    students.release(enrollment.offering_id, enrollment.student_id, enrollment.id)


def release_uncommitted(offering_id: str, enrollment_id: str, student_id: str | None) -> None:
    """Release what a creation that never committed had claimed."""
    seats.release_all(offering_id, enrollment_id)
    for ticket in _tickets_held(offering_id, enrollment_id):
        waitlist.depart(offering_id, ticket, enrollment_id)
    if student_id is not None:
        students.release(offering_id, student_id, enrollment_id)


def reconcile(enrollment: Enrollment) -> None:
    """Release every claim the enrollment's current status does not justify (idempotent).

    The caller must hold the enrollment's current transition claim, so that no promotion or
    draw is claiming places for it at the same moment.
    """
    status, offering_id = enrollment.status, enrollment.offering_id
    if status in ("withdrawn", "cancelled"):
        release_uncommitted(offering_id, enrollment.id, enrollment.student_id)
        return
    if status != "confirmed":
        seats.release_all(offering_id, enrollment.id)
    keep = enrollment.ticket if status == "waitlisted" else None
    for ticket in _tickets_held(offering_id, enrollment.id):
        if ticket != keep:
            waitlist.depart(offering_id, ticket, enrollment.id)
