"""Catalog documents: one collection per kind, indexed for the queries the repositories run.

Each state change and its events are one single-document write (meridian_common's outbox).
Indexes follow equality → sort: the filter fields a query pins first, then its sort keys, so
MongoDB answers a page (and its count) from the index instead of sorting in memory.
"""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    FloatField,
    IntField,
    ListField,
    StringField,
)

from meridian_common.persistence.outbox import OutboxDocument


class FacultyEntry(EmbeddedDocument):
    user_id = StringField(required=True)
    role = StringField(required=True, choices=("lead", "instructor", "ta"))
    status = StringField(default="active", choices=("active", "invited"))
    invitation_id = StringField(null=True)


class InstitutionDocument(OutboxDocument):
    id = StringField(primary_key=True)
    name = StringField(required=True)
    country = StringField(required=True)
    timezone = StringField(required=True)
    alliances = ListField(StringField())
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    # Listing by name, optionally of one alliance (multikey) or one country.
    meta = {"collection": "institutions", "indexes": [
        ("name", "id"), ("alliances", "name"), ("country", "name"),
    ]}


class CourseDocument(OutboxDocument):
    id = StringField(primary_key=True)
    code = StringField(required=True)
    title = StringField(required=True)
    summary = StringField(default="")
    provider_institution_id = StringField(required=True)
    languages = ListField(StringField())
    discipline = StringField()
    level = StringField()
    credits = FloatField()
    tags = ListField(StringField())
    faculty = EmbeddedDocumentListField(FacultyEntry)
    # Who is invited and has not answered: `GET /me/faculty-invitations` looks them up here.
    invited_ids = ListField(StringField())
    status = StringField(required=True, choices=("draft", "published", "archived"))
    search_terms = ListField(StringField())
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    published_at = DateTimeField()
    archived_at = DateTimeField()
    # A course code is unique per provider. Searches read the cards (course_cards.py), which
    # carry their own indexes; invitations are looked up by invitee.
    meta = {"collection": "courses", "indexes": [
        {"fields": ["provider_institution_id", "code"], "unique": True},
        "invited_ids",
    ]}


class OfferingDocument(OutboxDocument):
    id = StringField(primary_key=True)
    course_id = StringField(required=True)
    provider_institution_id = StringField(required=True)
    term = StringField(required=True)
    starts_on = DateField(required=True)
    ends_on = DateField(required=True)
    timezone = StringField(required=True)
    capacity = IntField(required=True, min_value=1)
    enrollment_opens_at = DateTimeField(required=True)
    enrollment_closes_at = DateTimeField(required=True)
    eligibility = DictField(null=True)
    selection = StringField(required=True, choices=("first_come", "lottery"))
    waitlist = BooleanField(required=True, default=True)
    status = StringField(required=True, choices=("open", "cancelled"))
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    cancelled_at = DateTimeField()
    # A course's offerings by start date, optionally of one status.
    meta = {"collection": "offerings", "indexes": [
        ("course_id", "starts_on", "id"), ("course_id", "status", "starts_on", "id"),
    ]}


class SeatLedgerEntry(Document):
    """Read model fed by enrollment events: the newest known state of each enrollment.

    One row per enrollment rather than a counter per offering: FerretDB has no update
    isolation, so a contended `$inc` could lose counts. The consumer recounts an offering's rows
    into its tally after each batch of events (seats.py); reads take the tally.
    """

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    status = StringField(required=True)
    version = IntField(required=True)
    updated_at = DateTimeField(required=True)
    # Counting by offering reads only this index (covered: offering_id and status).
    meta = {"collection": "seat_ledger", "indexes": [("offering_id", "status")]}


ALL_DOCUMENTS = (InstitutionDocument, CourseDocument, OfferingDocument, SeatLedgerEntry)
OUTBOX_COLLECTIONS = ["institutions", "courses", "offerings"]
