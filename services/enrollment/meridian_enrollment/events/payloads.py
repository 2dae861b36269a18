"""Event records stored with enrollment state changes (contracts in meridian_common)."""

from __future__ import annotations

from meridian_common.events.envelope import new_event

from ..models import Enrollment

SOURCE = "/meridian/enrollment"
KINDS = ("confirmed", "waitlisted", "applied", "promoted", "withdrawn", "cancelled")


def enrollment_event(kind: str, enrollment: Enrollment, position: int | None = None) -> dict:
    """`lms.enrollment.<kind>.v1` for the enrollment's new state, keyed by offering id."""
    if kind not in KINDS:
        raise ValueError(f"unknown enrollment event kind: {kind}")
    return new_event(f"lms.enrollment.{kind}.v1", source=SOURCE, key=enrollment.offering_id,
                     subject=enrollment.id,
                     data={"enrollment_id": enrollment.id, "offering_id": enrollment.offering_id,
                           "student_id": enrollment.student_id,
                           "institution_id": enrollment.institution_id,
                           "status": enrollment.status, "waitlist_position": position,
                           "reason": enrollment.reason, "version": enrollment.version})
