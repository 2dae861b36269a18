"""Event payload contracts shared by producers and consumers (one schema per event type).

Producers `dump` through these schemas before storing an event; consumers `load` with them and
ignore unknown fields, so a v1 payload may gain optional fields without breaking anyone.
A breaking change gets a new type ending in `.v2`.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from . import types


class Contract(Schema):
    """Base for payload schemas: consumers tolerate fields added later in the same version."""

    class Meta:
        unknown = EXCLUDE


class FacultyMember(Contract):
    user_id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["lead", "instructor", "ta"]))


class Eligibility(Contract):
    institutions = fields.List(fields.String(), load_default=list)
    alliances = fields.List(fields.String(), load_default=list)
    countries = fields.List(fields.String(), load_default=list)


class InstitutionPayload(Contract):
    institution_id = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    timezone = fields.String(required=True)
    alliances = fields.List(fields.String(), required=True)
    version = fields.Integer(required=True)


class CoursePayload(Contract):
    course_id = fields.String(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    provider_institution_id = fields.String(required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(["draft", "published", "archived"]))
    languages = fields.List(fields.String(), load_default=list)
    discipline = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    faculty = fields.List(fields.Nested(FacultyMember), required=True)
    version = fields.Integer(required=True)


class OfferingPayload(Contract):
    offering_id = fields.String(required=True)
    course_id = fields.String(required=True)
    provider_institution_id = fields.String(required=True)
    term = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    timezone = fields.String(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1))
    enrollment_opens_at = fields.AwareDateTime(required=True)
    enrollment_closes_at = fields.AwareDateTime(required=True)
    eligibility = fields.Nested(Eligibility, allow_none=True, required=True)
    selection = fields.String(required=True, validate=validate.OneOf(["first_come", "lottery"]))
    waitlist = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["open", "cancelled"]))
    faculty = fields.List(fields.Nested(FacultyMember), required=True)
    version = fields.Integer(required=True)


class DrawFacts(Contract):
    """How a lottery decided this enrollment: enough for its student to re-run the draw."""

    seed = fields.String(required=True)
    algorithm = fields.String(required=True)
    drawn_at = fields.AwareDateTime(required=True)
    places = fields.Integer(required=True)
    applicants = fields.Integer(required=True)
    selected = fields.Boolean(required=True)
    how_to_verify = fields.String(required=True)


class EnrollmentPayload(Contract):
    enrollment_id = fields.String(required=True)
    offering_id = fields.String(required=True)
    student_id = fields.String(required=True)
    institution_id = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(types.ENROLLMENT_STATES))
    waitlist_position = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    # Added in v1 (optional): set when a lottery draw confirmed or waitlisted the application.
    draw = fields.Nested(DrawFacts, allow_none=True, load_default=None)


class SessionPayload(Contract):
    session_id = fields.String(required=True)
    series_id = fields.String(required=True)
    offering_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(
        ["lecture", "seminar", "workshop", "office_hours"]))
    title = fields.String(required=True)
    start = fields.AwareDateTime(required=True)
    end = fields.AwareDateTime(required=True)
    timezone = fields.String(required=True)
    instructors = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(["scheduled", "cancelled"]))
    sequence = fields.Integer(required=True)
    # Added in v1 (optional): the calendar UID, the length, and on a reschedule the time it
    # moved from; `reason` says why a session was cancelled ("offering_cancelled").
    uid = fields.String(allow_none=True, load_default=None)
    duration_minutes = fields.Integer(allow_none=True, load_default=None)
    previous_start = fields.AwareDateTime(allow_none=True, load_default=None)
    previous_end = fields.AwareDateTime(allow_none=True, load_default=None)
    previous_timezone = fields.String(allow_none=True, load_default=None)
    reason = fields.String(allow_none=True, load_default=None)


class AttendancePayload(Contract):
    session_id = fields.String(required=True)
    offering_id = fields.String(required=True)
    user_id = fields.String(required=True)
    role = fields.String(required=True)
    joined_at = fields.AwareDateTime(required=True)
    left_at = fields.AwareDateTime(allow_none=True)


CONTRACTS: dict[str, type[Contract]] = {
    types.INSTITUTION_CREATED: InstitutionPayload,
    types.INSTITUTION_UPDATED: InstitutionPayload,
    types.COURSE_PUBLISHED: CoursePayload,
    types.COURSE_UPDATED: CoursePayload,
    types.COURSE_ARCHIVED: CoursePayload,
    types.OFFERING_OPENED: OfferingPayload,
    types.OFFERING_UPDATED: OfferingPayload,
    types.OFFERING_CANCELLED: OfferingPayload,
    types.ENROLLMENT_CONFIRMED: EnrollmentPayload,
    types.ENROLLMENT_WAITLISTED: EnrollmentPayload,
    types.ENROLLMENT_APPLIED: EnrollmentPayload,
    types.ENROLLMENT_PROMOTED: EnrollmentPayload,
    types.ENROLLMENT_WITHDRAWN: EnrollmentPayload,
    types.ENROLLMENT_CANCELLED: EnrollmentPayload,
    types.SESSION_SCHEDULED: SessionPayload,
    types.SESSION_RESCHEDULED: SessionPayload,
    types.SESSION_CANCELLED: SessionPayload,
    types.ATTENDANCE_RECORDED: AttendancePayload,
}


def contract_for(event_type: str) -> Contract:
    """The payload schema of an event type; KeyError for types nobody declared."""
    return CONTRACTS[event_type]()


def dump_payload(event_type: str, payload: dict) -> dict:
    """Serialise and validate a producer's payload against its contract."""
    schema = contract_for(event_type)
    dumped = schema.dump(payload)
    errors = schema.validate(dumped)
    if errors:
        raise ValueError(f"payload for {event_type} breaks its contract: {errors}")
    return dumped


def load_payload(event_type: str, data: dict) -> dict:
    """Validate and deserialise a consumed payload (raises marshmallow.ValidationError)."""
    return contract_for(event_type).load(data)
