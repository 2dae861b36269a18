"""Read sides: one enrollment with its position, a student's list, an offering's roster."""

from __future__ import annotations

from ..domain import lifecycle
from ..domain.lifecycle import Enrollment
from ..domain.offering import DrawOutline, OfferingView
from ..domain.refusals import NOT_FOUND, Refusal
from .ports import Ports


def enrollment_or_refuse(ports: Ports, enrollment_id: str) -> Enrollment:
    """The enrollment, or a not-found Refusal."""
    enrollment = ports.enrollments.get(enrollment_id)
    if enrollment is None:
        raise Refusal(NOT_FOUND, "not_found", f"No enrollment with id '{enrollment_id}'.")
    return enrollment


def position_of(ports: Ports, enrollment: Enrollment) -> int | None:
    """The enrollment's current waitlist position (None unless it waits)."""
    if enrollment.status != lifecycle.WAITLISTED or enrollment.ticket is None:
        return None
    return ports.waitlist.position(enrollment.offering_id, enrollment.ticket)


def student_enrollments(ports: Ports, student_id: str, offering_id: str | None = None,
                        status: str | None = None) -> list[Enrollment]:
    """A student's enrollments (optionally of one offering, in one status), newest first."""
    return [e for e in ports.enrollments.of_student(student_id, offering_id)
            if status is None or e.status == status]


def draw_outlines(ports: Ports, enrollments: list[Enrollment]) -> dict[str, DrawOutline]:
    """The draws (if any) of those enrollments' offerings, read at once."""
    return ports.draws.outlines(sorted({e.offering_id for e in enrollments}))


def roster(ports: Ports, offering: OfferingView) -> dict[str, list[tuple[Enrollment, int | None]]]:
    """Active enrollments by status with their positions; the waitlisted in line order."""
    rank = ports.waitlist.positions(offering.id)
    groups: dict[str, list] = {status: [] for status in lifecycle.ACTIVE}
    for enrollment in ports.enrollments.of_offering(offering.id, lifecycle.ACTIVE):
        position = rank.get(enrollment.ticket) if enrollment.status == lifecycle.WAITLISTED \
            else None
        groups[enrollment.status].append((enrollment, position))
    groups[lifecycle.WAITLISTED].sort(key=lambda pair: (pair[1] is None, pair[1] or 0))
    return groups
