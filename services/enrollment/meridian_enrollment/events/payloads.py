"""Event records stored with enrollment state changes (contracts in meridian_common)."""

from __future__ import annotations

from meridian_common.events.envelope import new_event
from meridian_common.events.types import ENROLLMENT_EVENTS

from ..domain.lifecycle import Enrollment, Event

SOURCE = "/meridian/enrollment"


def enrollment_event(event: Event, enrollment: Enrollment) -> dict:
    """The stored record of `event` for the enrollment's new state, keyed by offering id."""
    if event.type not in ENROLLMENT_EVENTS:
        raise ValueError(f"not an enrollment event type: {event.type}")
    return new_event(event.type, source=SOURCE, key=enrollment.offering_id,
                     subject=enrollment.id,
                     data={"enrollment_id": enrollment.id, "offering_id": enrollment.offering_id,
                           "student_id": enrollment.student_id,
                           "institution_id": enrollment.institution_id,
                           "status": enrollment.status,
                           "waitlist_position": event.waitlist_position,
                           "reason": enrollment.reason, "version": enrollment.version,
                           "draw": event.draw})
