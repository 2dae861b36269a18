"""Schemas for scheduling, rescheduling and showing sessions."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from meridian_common.web.errors import ProblemSchema
from meridian_common.web.http import PageArgs
from meridian_common.web.validation import (
    AtLeastOneField,
    IanaZone,
    SafeString,
    UtcDateTime,
    VisibleText,
)

from ...domain.recurrence import MAX_DURATION_MINUTES, MAX_OCCURRENCES, MIN_DURATION_MINUTES
from ...domain.session import KINDS
from .fields import DateOrInstant, LocalDateTime

_DURATION = validate.Range(
    min=MIN_DURATION_MINUTES, max=MAX_DURATION_MINUTES,
    error=f"Must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes "
          "(12 hours).")
_FOLD_DOC = ("Only for a local time that happens twice (clocks going back): 0 = the first "
             "occurrence, 1 = the second. Without it such a time is refused (422).")


def _unique(values: list[str]) -> None:
    if len(values) != len(set(values)):
        raise ValidationError("Each instructor may appear only once.")


class RepeatIn(Schema):
    frequency = fields.String(required=True, validate=validate.OneOf(["daily", "weekly"]))
    count = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, max=MAX_OCCURRENCES,
        error=f"A series has between 1 and {MAX_OCCURRENCES} sessions."),
        metadata={"description": "Number of sessions including the first."})


class SessionIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = VisibleText(required=True, max_length=200)
    start = LocalDateTime(required=True, metadata={
        "description": "Local wall-clock start in `timezone`, no offset (2026-03-02T14:00).",
        "type": "string", "example": "2026-03-02T14:00"})
    timezone = IanaZone(required=True)
    fold = fields.Integer(strict=True, allow_none=True, load_default=None,
                          validate=validate.OneOf([0, 1]), metadata={"description": _FOLD_DOC})
    duration_minutes = fields.Integer(required=True, strict=True, validate=_DURATION)
    instructors = fields.List(SafeString(max_length=128), required=True,
                              metadata={"uniqueItems": True},
                              validate=[validate.Length(min=1, max=20), _unique])
    repeat = fields.Nested(RepeatIn, allow_none=True, load_default=None)


class SessionPatch(AtLeastOneField, Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    title = VisibleText(max_length=200)
    start = LocalDateTime(metadata={"type": "string", "example": "2026-03-03T15:00"})
    timezone = IanaZone()
    fold = fields.Integer(strict=True, validate=validate.OneOf([0, 1]),
                          metadata={"description": _FOLD_DOC})
    duration_minutes = fields.Integer(strict=True, validate=_DURATION)
    instructors = fields.List(SafeString(max_length=128), metadata={"uniqueItems": True},
                              validate=[validate.Length(min=1, max=20), _unique])



class ScopeArgs(Schema):
    scope = fields.String(load_default="this", validate=validate.OneOf(["this", "following"]),
                          metadata={"description": "`this` session, or it and the later "
                                                   "sessions of its series (`following`)."})


class ZoneArgs(Schema):
    tz = IanaZone(metadata={"description": "Adds local_start/local_end in this IANA zone."})


class RangeArgs(PageArgs, ZoneArgs):
    from_ = DateOrInstant(data_key="from", metadata={
        "description": "Sessions ending after this date (in `tz`, else UTC) or instant."})
    to = DateOrInstant(metadata={"description": "Sessions starting before the end of this date "
                                                "(inclusive) or before this instant."})


class SessionListArgs(RangeArgs):
    status = fields.String(validate=validate.OneOf(["scheduled", "cancelled"]))


class SessionOut(Schema):
    id = fields.String()
    series_id = fields.String()
    series_index = fields.Integer()
    offering_id = fields.String()
    kind = fields.String()
    title = fields.String()
    start = UtcDateTime()
    end = UtcDateTime()
    timezone = fields.String(metadata={"description": "The zone the session was scheduled in."})
    zone_start = fields.String(metadata={"description": "Start with offset in `timezone`."})
    zone_end = fields.String()
    duration_minutes = fields.Integer()
    instructors = fields.List(fields.String())
    status = fields.String()
    sequence = fields.Integer(metadata={"description": "Bumped on every change (iCalendar)."})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    cancelled_at = UtcDateTime(allow_none=True)
    local_timezone = fields.String(metadata={"description": "The `tz` asked for."})
    local_start = fields.String(metadata={"description": "Start with offset in `tz`."})
    local_end = fields.String()
    public_room = fields.Boolean(metadata={
        "description": "Session and offering reads: true when the faculty chose an unsigned "
                       "public Jitsi room, which anyone holding its link can enter."})
    as_ = fields.String(data_key="as", metadata={
        "description": "Timetable only: whether the caller is a student or faculty there."})
    affected_session_ids = fields.List(fields.String(), metadata={
        "description": "PATCH/DELETE only: every session the change applied to."})


class SeriesOut(Schema):
    series_id = fields.String()
    sessions = fields.List(fields.Nested(SessionOut))


class ConflictOut(Schema):
    occurrence = fields.Integer(allow_none=True)
    session_id = fields.String(allow_none=True)
    start = UtcDateTime()
    end = UtcDateTime()
    reasons = fields.List(fields.String(), metadata={"description": "cohort and/or instructor"})
    instructors = fields.List(fields.String())
    busy = fields.Boolean(metadata={
        "description": "True: a session of an offering the caller does not teach; only its "
                       "times are shown (no id, offering or title)."})
    conflicting_session_id = fields.String(allow_none=True)
    conflicting_offering_id = fields.String(allow_none=True)
    conflicting_title = fields.String(allow_none=True)
    conflicting_start = UtcDateTime()
    conflicting_end = UtcDateTime()


class ScheduleConflictOut(ProblemSchema):
    """409 problem details; `schedule_conflict` ones list every double booking."""

    conflicts = fields.List(fields.Nested(ConflictOut), metadata={
        "description": "Only with code schedule_conflict."})
