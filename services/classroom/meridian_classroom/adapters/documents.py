"""Classroom documents: one collection per kind, with the indexes the queries need.

Sessions and attendance carry their events (outbox). Read models (offerings, courses,
roster, institutions) are written by the worker only, from events. Sessions are written
under the schedule lease (`leases.py`), so each has one writer at a time.
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

from ..domain.session import KINDS, PROVIDERS


class LiveSession(OutboxDocument):
    """A live session: UTC instants plus the wall-clock start and zone it was entered in."""

    id = StringField(primary_key=True)
    series_id = StringField(required=True)
    series_index = IntField(required=True)
    offering_id = StringField(required=True)
    kind = StringField(required=True, choices=KINDS)
    title = StringField(required=True)
    start = DateTimeField(required=True)
    end = DateTimeField(required=True)
    timezone = StringField(required=True)
    wall_start = StringField(required=True)
    fold = IntField(required=True, default=0)
    duration_minutes = IntField(required=True)
    instructors = ListField(StringField())
    status = StringField(required=True, choices=("scheduled", "cancelled"))
    sequence = IntField(required=True, default=0)
    version = IntField(required=True, default=1)
    created_at = DateTimeField(required=True)
    updated_at = DateTimeField(required=True)
    cancelled_at = DateTimeField()
    # The meeting room's secret name (Jitsi): random, set once at scheduling.
    room = StringField()
    # offering + start: listings, timetables, feeds and the cohort check; instructors +
    # start: an instructor's bookings in any offering; series + start: "this and following".
    meta = {"collection": "sessions", "indexes": [
        ("offering_id", "start"), ("instructors", "start"), ("series_id", "start")]}


class AttendanceJoin(OutboxDocument):
    """One click on join (insert-only)."""

    id = StringField(primary_key=True)
    session_id = StringField(required=True)
    offering_id = StringField(required=True)
    user_id = StringField(required=True)
    role = StringField(required=True)
    provider = StringField(required=True, choices=PROVIDERS)
    joined_at = DateTimeField(required=True)
    meta = {"collection": "attendance_joins", "indexes": [("session_id", "user_id"),
                                                        ("user_id", "-joined_at")]}


class AttendanceLeave(OutboxDocument):
    """A departure the provider reported; `_id` is the join it closes, so it is recorded once."""

    id = StringField(primary_key=True)
    session_id = StringField(required=True)
    user_id = StringField(required=True)
    left_at = DateTimeField(required=True)
    meta = {"collection": "attendance_leaves", "indexes": ["session_id"]}


class ClassroomOffering(Document):
    """An offering as catalog events describe it (zone, status, course)."""

    id = StringField(primary_key=True)
    course_id = StringField(required=True)
    provider_institution_id = StringField()
    timezone = StringField(required=True)
    starts_on = StringField()
    ends_on = StringField()
    status = StringField(required=True)
    version = IntField(required=True)
    meta = {"collection": "offerings", "indexes": ["course_id"]}


class ClassroomCourse(Document):
    """A course with its faculty, which every offering of the course shares (the faculty read
    model: a handful of members per course, so they live in the course document)."""

    id = StringField(primary_key=True)
    code = StringField(default="")
    title = StringField(default="")
    faculty = ListField(DictField())
    faculty_ids = ListField(StringField())
    version = IntField(required=True)
    meta = {"collection": "courses", "indexes": ["faculty_ids"]}


class ClassroomRosterEntry(Document):
    """One student in one offering; per-enrollment versions keep replays harmless."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    student_id = StringField(required=True)
    institution_id = StringField()
    enrollments = ListField(DictField())
    status = StringField(required=True)
    meta = {"collection": "roster", "indexes": [
        {"fields": ("offering_id", "student_id"), "unique": True},
        ("offering_id", "status"), ("student_id", "status")]}


class ClassroomInstitution(Document):
    """An institution's time zone, from catalog events."""

    id = StringField(primary_key=True)
    timezone = StringField(required=True)
    version = IntField(required=True)
    meta = {"collection": "institutions"}


class UserZone(Document):
    """The zone a user's token last named: where they actually are, for fair hours."""

    id = StringField(primary_key=True)
    timezone = StringField(required=True)
    seen_at = DateTimeField(required=True)
    meta = {"collection": "user_zones"}


class MeetingSetting(Document):
    """The meeting provider course faculty chose for an offering."""

    id = StringField(primary_key=True)
    provider = StringField(required=True, choices=PROVIDERS)
    url = StringField()
    public_room = BooleanField(default=False)
    updated_by = StringField(required=True)
    updated_at = DateTimeField(required=True)
    meta = {"collection": "meeting_settings"}


class CalendarFeed(Document):
    """A user's feed: only a hash of the secret in its URL is kept."""

    id = StringField(primary_key=True)
    token_hash = StringField(required=True, unique=True)
    created_at = DateTimeField(required=True)
    meta = {"collection": "calendar_feeds"}


class HookReceipt(Document):
    """A webhook delivery acted on, by its checksum (replays find it and change nothing)."""

    id = StringField(primary_key=True)
    received_at = DateTimeField(required=True)
    meta = {"collection": "hook_receipts", "indexes": ["received_at"]}


class ScheduleLease(Document):
    """A claim on an offering's or instructor's schedule (see leases.py)."""

    id = StringField(primary_key=True)
    owner = StringField(required=True)
    expires_at = DateTimeField(required=True)
    meta = {"collection": "schedule_leases"}


ALL_DOCUMENTS = (LiveSession, AttendanceJoin, AttendanceLeave, ClassroomOffering,
                 ClassroomCourse, ClassroomRosterEntry, ClassroomInstitution, UserZone,
                 MeetingSetting, CalendarFeed, HookReceipt, ScheduleLease)
OUTBOX_COLLECTIONS = ["sessions", "attendance_joins", "attendance_leaves"]
# Scan-avoiding copies an earlier layout kept beside the read models; the worker drops them.
RETIRED_COLLECTIONS = ("cohorts", "cohort_buckets", "student_stamps", "student_offerings",
                       "faculty_stamps", "faculty_offerings", "offering_stamps")


def drop_retired_collections() -> int:
    """Drop collections no reader uses any more (worker start); returns how many there were."""
    database = LiveSession._get_db()
    retired = set(RETIRED_COLLECTIONS) & set(database.list_collection_names())
    for name in sorted(retired):
        database.drop_collection(name)
    return len(retired)
