"""Catalog documents. Each state change and its events are one single-document write."""

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


class Institution(OutboxDocument):
    id = StringField(primary_key=True)
    name = StringField(required=True)
    country = StringField(required=True)
    timezone = StringField(required=True)
    alliances = ListField(StringField())
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "institutions", "indexes": ["alliances", "country", "name"]}


class Course(OutboxDocument):
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
    status = StringField(required=True, choices=("draft", "published", "archived"))
    search_terms = ListField(StringField())
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    published_at = DateTimeField()
    archived_at = DateTimeField()
    meta = {"collection": "courses", "indexes": [
        {"fields": ["provider_institution_id", "code"], "unique": True},
        "status", "search_terms", "languages", "discipline", "level",
    ]}


class Offering(OutboxDocument):
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
    meta = {"collection": "offerings", "indexes": ["course_id", "starts_on"]}


class SeatLedgerEntry(Document):
    """Read model fed by enrollment events: the latest known state of each enrollment."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    status = StringField(required=True)
    version = IntField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "seat_ledger", "indexes": [("offering_id", "status")]}


ALL_DOCUMENTS = (Institution, Course, Offering, SeatLedgerEntry)
OUTBOX_COLLECTIONS = ["institutions", "courses", "offerings"]
