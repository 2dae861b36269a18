"""The delivery pipeline's read models, fed by events (the consumer is their one writer)."""

from __future__ import annotations

from mongoengine import DateTimeField, Document, IntField, ListField, StringField


class CourseView(Document):
    """A course's code and title, from catalog course events."""

    id = StringField(primary_key=True)
    code = StringField()
    title = StringField()
    version = IntField(required=True)
    meta = {"collection": "course_views"}


class OfferingView(Document):
    """An offering's course, status and faculty, from catalog offering events."""

    id = StringField(primary_key=True)
    course_id = StringField()
    status = StringField()
    faculty = ListField(StringField())
    version = IntField(required=True)
    meta = {"collection": "offering_views"}


class RosterEntry(Document):
    """One student's newest enrollment status in one offering (`_id` offering:student)."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    student_id = StringField(required=True)
    status = StringField(required=True)
    version = IntField(required=True)
    meta = {"collection": "roster_entries", "indexes": [("offering_id", "status")]}


class SessionView(Document):
    """A session's newest state (version = its calendar SEQUENCE)."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    title = StringField()
    kind = StringField()
    start = DateTimeField(required=True)
    end = DateTimeField(required=True)
    timezone = StringField()
    status = StringField()
    uid = StringField()
    instructors = ListField(StringField())
    version = IntField(required=True)
    meta = {"collection": "session_views", "indexes": [("offering_id", "start")]}


DELIVERY_DOCUMENTS = (CourseView, OfferingView, RosterEntry, SessionView)
