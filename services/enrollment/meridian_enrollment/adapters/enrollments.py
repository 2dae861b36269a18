"""Enrollments on MongoDB: each state change and its events in one single-document write.

Before changing an enrollment at version v, a writer inserts the claim (enrollment, v) in
`enrollment_transitions`; only the one whose insert succeeds writes. FerretDB runs updates
without isolation, so this claim, not the version filter of the update, is what makes the
writer unique; the version-guarded write of the outbox entry point stays a second guard.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.envelope import utcnow
from meridian_common.messaging.relay_nudge import nudge_relay
from meridian_common.persistence.outbox import (
    insert_with_events,
    outbox_insert_fields,
    update_with_events,
)
from meridian_common.persistence.server import find_in

from ..application.ports import Hold
from ..domain.lifecycle import Enrollment, Event
from ..events.payloads import enrollment_event
from .claims import CollectionOf, insert_claim, insert_claims, storable
from .documents import EnrollmentDocument, TransitionClaim

_FIELDS = ("offering_id", "student_id", "institution_id", "status", "ticket", "reason",
           "enrolled_by", "version", "created_at", "updated_at")
_CHANGED = ("status", "ticket", "reason")
_NO_OUTBOX = {"outbox": 0}


def to_domain(row: dict) -> Enrollment:
    """An enrollment row as the domain's value."""
    return Enrollment(id=row["_id"], **{name: row.get(name) for name in _FIELDS})


class MongoEnrollments:
    """The `enrollments` collection and its transition claims."""

    _rows = CollectionOf(EnrollmentDocument)
    _holds = CollectionOf(TransitionClaim)

    def add(self, enrollment: Enrollment, events: list[Event]) -> None:
        """Insert the enrollment carrying its events: the commit point of a new enrollment."""
        document = EnrollmentDocument(id=enrollment.id, **{
            name: getattr(enrollment, name) for name in _FIELDS})
        insert_with_events(document, *(enrollment_event(e, enrollment) for e in events))

    def add_many(self, stored: list[tuple[Enrollment, list[Event]]]) -> None:
        """Insert many new enrollments, each carrying its events, in one round trip; one
        already stored (a batch resumed after a crash) is left as it is."""
        documents = []
        for enrollment, events in stored:
            document = EnrollmentDocument(id=enrollment.id, **{
                name: getattr(enrollment, name) for name in _FIELDS})
            for name, value in outbox_insert_fields(
                    *(enrollment_event(e, enrollment) for e in events)).items():
                setattr(document, name, value)
            document.validate()
            documents.append(document.to_mongo().to_dict())
        insert_claims(self._rows, documents)
        nudge_relay()

    def many(self, enrollment_ids: list[str]) -> dict[str, Enrollment]:
        """The stored enrollments among `enrollment_ids`, by id."""
        if not enrollment_ids:
            return {}
        return {row["_id"]: to_domain(row)
                for row in find_in(self._rows, "_id", enrollment_ids, projection=_NO_OUTBOX)}

    def get(self, enrollment_id: str) -> Enrollment | None:
        """The stored enrollment, without its event history."""
        if not storable(enrollment_id):
            return None
        row = self._rows.find_one({"_id": enrollment_id}, _NO_OUTBOX)
        return to_domain(row) if row else None

    def hold(self, enrollment: Enrollment, action: str) -> bool:
        """Claim the right to move the enrollment from its current version."""
        return insert_claim(self._holds, {
            "enrollment_id": enrollment.id, "from_version": enrollment.version,
            "offering_id": enrollment.offering_id, "student_id": enrollment.student_id,
            "action": action, "created_at": utcnow()})

    def update(self, before: Enrollment, after: Enrollment,
               events: list[Event]) -> Enrollment | None:
        """Write `after` with its events; None (and the hold dropped) if `before` was stale."""
        document = EnrollmentDocument(id=before.id, version=before.version)
        stored: list[Enrollment] = []

        def records(written: EnrollmentDocument) -> list[dict]:
            stored.append(replace(after, version=written.version,
                                  updated_at=written.updated_at))
            return [enrollment_event(e, stored[0]) for e in events]

        try:
            update_with_events(document, {name: getattr(after, name) for name in _CHANGED},
                               records)
        except Conflict:
            self.let_go(before.id, before.version)
            return None
        return stored[0]

    def let_go(self, enrollment_id: str, from_version: int) -> None:
        """Drop the claim on moving the enrollment from `from_version`."""
        self._holds.delete_one({"enrollment_id": enrollment_id, "from_version": from_version})

    def stale_holds(self, older_than: datetime) -> list[Hold]:
        """Claims older than `older_than`: changes a crash interrupted."""
        return [Hold(row["enrollment_id"], row["offering_id"], row.get("student_id"),
                     row["from_version"], row["action"], row["created_at"])
                for row in self._holds.find({"created_at": {"$lt": older_than}})]

    def drop_hold(self, hold: Hold) -> None:
        """Forget one repaired claim (not a newer one for the same version)."""
        self._holds.delete_one({"enrollment_id": hold.enrollment_id,
                                "from_version": hold.from_version,
                                "created_at": hold.created_at})

    def of_offering(self, offering_id: str, statuses: tuple[str, ...]) -> list[Enrollment]:
        """The offering's enrollments in `statuses`, oldest first."""
        return [to_domain(row) for row in self._rows.find(
            {"offering_id": offering_id, "status": {"$in": list(statuses)}}, _NO_OUTBOX)
            .sort([("created_at", 1), ("_id", 1)])]

    def of_student(self, student_id: str, offering_id: str | None) -> list[Enrollment]:
        """A student's enrollments, newest first."""
        query = {"student_id": student_id, **({"offering_id": offering_id} if offering_id
                                              else {})}
        return [to_domain(row) for row in self._rows.find(query, _NO_OUTBOX)
                .sort([("created_at", -1), ("_id", 1)])]
