"""The enrollment database: one collection per kind, invariants as compound unique indexes.

| collection | unique key | guards |
|---|---|---|
| `places` | (offering_id, student_id) | one active enrollment per student and offering |
| `seats` | (offering_id, seat_no), seat_no in 1..capacity | confirmed <= capacity |
| `quota_places` | (offering_id, institution_id, n) | a lottery's per-institution cap |
| `waitlist_tickets` | (offering_id, ticket), never reused | first come, first served |
| `waitlist_departures` | (offering_id, ticket) | a ticket leaves the line once |
| `enrollment_transitions` | (enrollment_id, from_version) | one writer per enrollment version |

Claims are only inserted and deleted, never updated: an insert that a unique index refuses
is atomic on MongoDB and on FerretDB, whose updates have no isolation (DESIGN.md).
"""

from __future__ import annotations

from mongoengine import (
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)

from meridian_common.events.types import ENROLLMENT_STATES
from meridian_common.persistence.outbox import OutboxDocument

from .job_documents import BulkBatchDocument, BulkJobDocument, BulkJobLease
from .view_documents import CourseViewDocument, InstitutionViewDocument, OfferingViewDocument


def _unique(*fields: str) -> dict:
    return {"fields": list(fields), "unique": True}


class EnrollmentDocument(OutboxDocument):
    """One student's enrollment in one offering; its events ride in its own writes."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    student_id = StringField(required=True)
    institution_id = StringField(null=True)
    status = StringField(required=True, choices=ENROLLMENT_STATES)
    ticket = IntField(null=True)
    reason = StringField(null=True)
    enrolled_by = StringField(required=True)
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "enrollments", "indexes": [
        ("offering_id", "status", "created_at"), ("student_id", "-created_at")]}


class _Claim(Document):
    meta = {"abstract": True}
    offering_id = StringField(required=True)
    enrollment_id = StringField(required=True)
    created_at = DateTimeField(required=True)


class PlaceClaim(_Claim):
    student_id = StringField(required=True)
    institution_id = StringField(null=True)
    meta = {"collection": "places", "indexes": [
        _unique("offering_id", "student_id"), "created_at"]}


class SeatClaim(_Claim):
    seat_no = IntField(required=True, min_value=1)
    meta = {"collection": "seats", "indexes": [
        _unique("offering_id", "seat_no"), ("offering_id", "enrollment_id"), "created_at"]}


class QuotaClaim(_Claim):
    institution_id = StringField(required=True)
    n = IntField(required=True, min_value=1)
    meta = {"collection": "quota_places", "indexes": [
        _unique("offering_id", "institution_id", "n"), ("offering_id", "enrollment_id")]}


class TicketClaim(_Claim):
    ticket = IntField(required=True, min_value=1)
    meta = {"collection": "waitlist_tickets", "indexes": [
        _unique("offering_id", "ticket"), ("offering_id", "enrollment_id"), "created_at"]}


class SeatRelease(Document):
    """A note that a seat of the offering was given back (written after the delete), so a
    process that remembers the offering as full reads its seats again (claim_hints.py)."""

    offering_id = StringField(required=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "seat_releases", "indexes": [("offering_id", "created_at"),
                                                        "created_at"]}


class DepartureClaim(_Claim):
    ticket = IntField(required=True, min_value=1)
    meta = {"collection": "waitlist_departures", "indexes": [_unique("offering_id", "ticket")]}


class TransitionClaim(Document):
    """A change of one enrollment in flight; deleted once the change and its consequences
    are done, so one older than a minute marks work a crash interrupted."""

    enrollment_id = StringField(required=True)
    from_version = IntField(required=True)
    offering_id = StringField(required=True)
    student_id = StringField(null=True)
    action = StringField(required=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "enrollment_transitions", "indexes": [
        _unique("enrollment_id", "from_version"), "created_at"]}


class DrawLock(Document):
    """The one process applying an offering's draw (`_id` = offering id)."""

    id = StringField(primary_key=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "draw_locks"}


class SweepMark(Document):
    """How far back a sweep has already looked: claims created before `until` were checked."""

    id = StringField(primary_key=True)
    until = DateTimeField(required=True)
    meta = {"collection": "sweep_marks"}


class LotteryDrawDocument(Document):
    """The one draw of a lottery offering (`_id` = offering id): inputs and result."""

    id = StringField(primary_key=True)
    seed = StringField(required=True)
    algorithm = StringField(required=True)
    applicants = ListField(DictField())
    applicants_digest = StringField(required=True)
    places = IntField(required=True)
    quotas = DictField()
    selected = ListField(StringField())
    waitlisted = ListField(StringField())
    drawn_by = StringField(required=True)
    created_at = DateTimeField(required=True)
    applied_at = DateTimeField(null=True)
    meta = {"collection": "lottery_draws", "indexes": ["applied_at"]}


ALL_DOCUMENTS = (EnrollmentDocument, PlaceClaim, SeatClaim, QuotaClaim, TicketClaim,
                 SeatRelease, DepartureClaim, TransitionClaim, DrawLock, LotteryDrawDocument,
                 OfferingViewDocument, InstitutionViewDocument, CourseViewDocument,
                 BulkJobDocument, BulkBatchDocument, BulkJobLease, SweepMark)
OUTBOX_COLLECTIONS = ["enrollments"]
CLAIM_DOCUMENTS = (PlaceClaim, SeatClaim, TicketClaim)
