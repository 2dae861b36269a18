"""Enrollment documents: enrollments, operations in flight, lottery draws, read models.

The per-offering claims (students, seats, quotas, tickets, departures) live in collections
named per offering (ledger/store.py). Claims are only ever inserted and deleted, never
updated: an insert under a unique `_id` is atomic on MongoDB and FerretDB alike (see
docs/decisions/0004-enrollment-seats.md).
"""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)

from meridian_common.persistence.outbox import OutboxDocument

ACTIVE_STATUSES = ("confirmed", "waitlisted", "applied")
STATUSES = (*ACTIVE_STATUSES, "withdrawn", "cancelled")


class Enrollment(OutboxDocument):
    """One student's enrollment in one offering; its events ride in its own writes."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    student_id = StringField(required=True)
    institution_id = StringField(null=True)
    status = StringField(required=True, choices=STATUSES)
    ticket = IntField(null=True)
    reason = StringField(null=True)
    enrolled_by = StringField(required=True)
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "enrollments", "indexes": [
        ("offering_id", "status"), ("student_id", "-created_at"), "updated_at"]}


class StudentEnrollment(Document):
    """Which enrollments a student has: small insert-only rows for `/me/enrollments`.

    Written before the enrollment itself; a row whose enrollment never committed is skipped.
    """

    id = StringField(primary_key=True)  # the enrollment id
    student_id = StringField(required=True)
    offering_id = StringField(required=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "student_enrollments", "indexes": [("student_id", "-created_at")]}


class EnrollmentTransition(Document):
    """A change in flight on one enrollment: key(enrollment, from_version).

    Inserting it makes its writer the only one allowed to change the enrollment from
    `from_version`; it is deleted when the change is complete, so the ones older than a
    minute are exactly what a crash left half done.
    """

    id = StringField(primary_key=True)
    enrollment_id = StringField(required=True)
    offering_id = StringField(required=True)
    student_id = StringField(null=True)
    from_version = IntField(required=True)
    action = StringField(required=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "enrollment_transitions", "indexes": ["created_at"]}


class LotteryDraw(Document):
    """The one draw of a lottery offering (`_id` = offering id): inputs and result."""

    id = StringField(primary_key=True)
    seed = StringField(required=True)
    algorithm = StringField(required=True)
    applicants = ListField(DictField())  # [{student_id, institution_id}], sorted by id
    applicants_digest = StringField(required=True)
    places = IntField(required=True)
    quotas = DictField()
    selected = ListField(StringField())
    waitlisted = ListField(StringField())
    drawn_by = StringField(required=True)
    created_at = DateTimeField(required=True)
    applied_at = DateTimeField(null=True)  # set once every application got its outcome
    meta = {"collection": "lottery_draws", "indexes": ["created_at", "applied_at"]}


class EnrollmentOfferingView(Document):
    """Read model of a catalog offering, fed by `lms.catalog.offering.*` events."""

    id = StringField(primary_key=True)
    course_id = StringField(required=True)
    provider_institution_id = StringField(required=True)
    capacity = IntField(required=True)
    enrollment_opens_at = DateTimeField(required=True)
    enrollment_closes_at = DateTimeField(required=True)
    eligibility = DictField(null=True)
    selection = StringField(required=True)
    waitlist = BooleanField(required=True)
    status = StringField(required=True)
    faculty = ListField(DictField())
    version = IntField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "offering_views", "indexes": ["status", "updated_at"]}


class EnrollmentInstitutionView(Document):
    """Read model of an institution (country, alliances) for eligibility."""

    id = StringField(primary_key=True)
    country = StringField(required=True)
    alliances = ListField(StringField())
    version = IntField(required=True)
    meta = {"collection": "institution_views"}


class EnrollmentCourseView(Document):
    """Read model of a course's staff, kept newer than the offering's faculty snapshot."""

    id = StringField(primary_key=True)
    provider_institution_id = StringField(required=True)
    faculty = ListField(DictField())
    version = IntField(required=True)
    meta = {"collection": "course_views"}


ALL_DOCUMENTS = (Enrollment, StudentEnrollment, EnrollmentTransition, LotteryDraw,
                 EnrollmentOfferingView,
                 EnrollmentInstitutionView, EnrollmentCourseView)
OUTBOX_COLLECTIONS = ["enrollments"]
