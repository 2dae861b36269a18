"""The enrollment life cycle as one state machine; every transition returns the events it causes.

    (new) ──enroll──> confirmed | waitlisted | applied (lottery)
    waitlisted ──promote──> confirmed          applied ──draw──> confirmed | waitlisted
    confirmed | waitlisted | applied ──withdraw──> withdrawn, ──cancel──> cancelled
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from meridian_common.events.types import (
    ACTIVE_ENROLLMENT_STATES,
    ENROLLMENT_APPLIED,
    ENROLLMENT_CANCELLED,
    ENROLLMENT_CONFIRMED,
    ENROLLMENT_PROMOTED,
    ENROLLMENT_WAITLISTED,
    ENROLLMENT_WITHDRAWN,
)

from .refusals import CONFLICT, Refusal

CONFIRMED, WAITLISTED, APPLIED = "confirmed", "waitlisted", "applied"
WITHDRAWN, CANCELLED = "withdrawn", "cancelled"
ACTIVE = ACTIVE_ENROLLMENT_STATES

# (action, from status) -> (to status, event type). `None` is an enrollment not yet stored.
TRANSITIONS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("confirm", None): (CONFIRMED, ENROLLMENT_CONFIRMED),
    ("waitlist", None): (WAITLISTED, ENROLLMENT_WAITLISTED),
    ("apply", None): (APPLIED, ENROLLMENT_APPLIED),
    ("promote", WAITLISTED): (CONFIRMED, ENROLLMENT_PROMOTED),
    ("select", APPLIED): (CONFIRMED, ENROLLMENT_CONFIRMED),
    ("waitlist", APPLIED): (WAITLISTED, ENROLLMENT_WAITLISTED),
    **{("withdraw", s): (WITHDRAWN, ENROLLMENT_WITHDRAWN) for s in ACTIVE},
    **{("cancel", s): (CANCELLED, ENROLLMENT_CANCELLED) for s in ACTIVE},
}


@dataclass(frozen=True)
class Enrollment:
    """One student's enrollment in one offering (`ticket`: its place in the waitlist's order)."""

    id: str
    offering_id: str
    student_id: str
    institution_id: str | None
    status: str | None
    enrolled_by: str
    created_at: datetime
    updated_at: datetime
    version: int = 0
    ticket: int | None = None
    reason: str | None = None

    @property
    def active(self) -> bool:
        """Whether it holds (or waits for) a place."""
        return self.status in ACTIVE


@dataclass(frozen=True)
class Event:
    """What a transition announces: its event type, and the waitlist position it reached."""

    type: str
    waitlist_position: int | None = None
    # Set when a lottery draw decided the move (see `DrawFacts` in the event contracts).
    draw: dict | None = None


class IllegalTransition(ValueError):
    """The state machine has no such move (a programming error, not a user's)."""


def new_enrollment(enrollment_id: str, offering_id: str, student_id: str,
                   institution_id: str | None, enrolled_by: str, now: datetime) -> Enrollment:
    """A not yet stored enrollment (status None, version 0)."""
    return Enrollment(id=enrollment_id, offering_id=offering_id, student_id=student_id,
                      institution_id=institution_id, status=None, enrolled_by=enrolled_by,
                      created_at=now, updated_at=now)


def move(enrollment: Enrollment, action: str, now: datetime, *, ticket: int | None = None,
         position: int | None = None, reason: str | None = None) -> tuple[Enrollment, list[Event]]:
    """Apply `action`; returns the next version and its events (Refusal if it already ended)."""
    target = TRANSITIONS.get((action, enrollment.status))
    if target is None:
        if enrollment.status in (WITHDRAWN, CANCELLED):
            raise Refusal(CONFLICT, "not_active", f"The enrollment is already {enrollment.status}.")
        raise IllegalTransition(f"{action} from {enrollment.status}")
    status, event_type = target
    if status == WAITLISTED and ticket is None:
        raise IllegalTransition("waitlisting needs a ticket")
    after = replace(enrollment, status=status, version=enrollment.version + 1, updated_at=now,
                    ticket=ticket if status == WAITLISTED else enrollment.ticket,
                    reason=reason if reason is not None else enrollment.reason)
    return after, [Event(event_type, position if status == WAITLISTED else None)]
