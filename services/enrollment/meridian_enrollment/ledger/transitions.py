"""State changes of an existing enrollment: one claimed writer per version, one write each.

Before changing an enrollment at version v, a writer inserts the claim key(id, v); only the
one whose insert succeeds writes, so FerretDB's non-isolated updates never race. The claim
is deleted once the change and its consequences are done, so a claim older than a minute
marks work a crash interrupted, which the repair sweep finishes.
"""

from __future__ import annotations

from collections.abc import Callable

from meridian_common.errors import ApiError
from meridian_common.events.envelope import utcnow
from meridian_common.store import update_with_event

from ..models import Enrollment, EnrollmentTransition
from .store import insert_claim, key


class Contended(Exception):
    """Another writer holds (or just made) this enrollment's next transition."""


def _claims():
    return EnrollmentTransition._get_collection()


def begin(enrollment: Enrollment, action: str) -> None:
    """Claim the enrollment's next version for `action`, or raise Contended."""
    if not insert_claim(_claims(), {
            "_id": key(enrollment.id, enrollment.version), "enrollment_id": enrollment.id,
            "offering_id": enrollment.offering_id, "student_id": enrollment.student_id,
            "from_version": enrollment.version,
            "action": action, "created_at": utcnow()}):
        raise Contended(enrollment.id)


def abandon(enrollment_id: str, from_version: int) -> None:
    """Let go of a claimed transition that did not happen, so another writer may try."""
    _claims().delete_one({"_id": key(enrollment_id, from_version)})


def commit(enrollment: Enrollment, changes: dict,
           build_event: Callable[[Enrollment], dict]) -> Enrollment:
    """Write `changes` and their event in one version-guarded update (after `begin`)."""
    from_version = enrollment.version
    try:
        update_with_event(enrollment, changes, build_event)
    except ApiError as exc:
        # The guarded update matched nothing: the version had already moved on.
        abandon(enrollment.id, from_version)
        raise Contended(enrollment.id) from exc
    return enrollment


def finish(enrollment: Enrollment) -> None:
    """Drop the claim of the transition that produced the enrollment's current version."""
    abandon(enrollment.id, enrollment.version - 1)


def transition(enrollment: Enrollment, action: str, changes: dict,
               build_event: Callable[[Enrollment], dict]) -> Enrollment:
    """`begin` and `commit` in one go, for changes that need no other claim in between."""
    begin(enrollment, action)
    return commit(enrollment, changes, build_event)
