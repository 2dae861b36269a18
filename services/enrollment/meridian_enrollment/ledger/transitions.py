"""State changes of an existing enrollment: one claimed writer per version, one write each.

Before changing an enrollment at version v, a writer inserts the claim key(id, v); only the
one whose insert succeeds writes, so FerretDB's non-isolated updates never race. The claim
is deleted once the change and its consequences are done, so a claim older than a minute
marks work a crash interrupted, which the repair sweep finishes.
"""

from __future__ import annotations

from collections.abc import Callable

from meridian_common.events.envelope import utcnow
from meridian_common.persistence.outbox import outbox_fields

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
    """Write `changes` and their event in one single-document update (after `begin`).

    The version is checked by reading the document after the claim was won: from then on
    nobody else may move it from that version, so the write itself can be addressed by `_id`
    alone, the only filter FerretDB 1.x serves without decoding the whole collection.
    """
    from_version = enrollment.version
    stored = Enrollment._get_collection().find_one({"_id": enrollment.id},
                                                    {"version": 1, "outbox": 1})
    if stored is None or stored["version"] != from_version:
        abandon(enrollment.id, from_version)  # our read was stale: someone moved it on
        raise Contended(enrollment.id)
    for name, value in changes.items():
        setattr(enrollment, name, value)
    enrollment.version = from_version + 1
    enrollment.updated_at = utcnow()
    event = build_event(enrollment)
    fields = {Enrollment._fields[name].db_field: getattr(enrollment, name) for name in changes}
    # The claim makes this the document's one writer, so the outbox read above is current.
    outbox = outbox_fields(Enrollment._get_db(), stored.get("outbox") or [], [event])
    Enrollment._get_collection().update_one({"_id": enrollment.id}, {
        "$set": {**fields, **outbox, "version": enrollment.version,
                 "updated_at": enrollment.updated_at}})
    return enrollment


def finish(enrollment: Enrollment) -> None:
    """Drop the claim of the transition that produced the enrollment's current version."""
    abandon(enrollment.id, enrollment.version - 1)


def transition(enrollment: Enrollment, action: str, changes: dict,
               build_event: Callable[[Enrollment], dict]) -> Enrollment:
    """`begin` and `commit` in one go, for changes that need no other claim in between."""
    begin(enrollment, action)
    return commit(enrollment, changes, build_event)
