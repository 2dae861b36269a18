"""The enrollment service's read models of catalog facts, fed by `lms.catalog` events."""

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


class OfferingViewDocument(Document):
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
    meta = {"collection": "offering_views", "indexes": [("status", "updated_at")]}


class InstitutionViewDocument(Document):
    """Read model of an institution (country, alliances) for eligibility."""

    id = StringField(primary_key=True)
    country = StringField(required=True)
    alliances = ListField(StringField())
    version = IntField(required=True)
    meta = {"collection": "institution_views"}


class CourseViewDocument(Document):
    """Read model of a course's staff, kept newer than the offering's faculty snapshot."""

    id = StringField(primary_key=True)
    provider_institution_id = StringField(required=True)
    faculty = ListField(DictField())
    status = StringField()
    version = IntField(required=True)
    meta = {"collection": "course_views"}
