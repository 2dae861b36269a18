"""Schemas for fair-hours slot suggestions."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from meridian_common.web.validation import IanaZone, UtcDateTime

from ..domain.localtime import EARLIEST_YEAR, LATEST_YEAR
from ..domain.recurrence import MAX_DURATION_MINUTES, MAX_OCCURRENCES, MIN_DURATION_MINUTES
from .fields import ClockTime

MAX_RANGE_DAYS = 92


class SlotRequestIn(Schema):
    duration_minutes = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=MIN_DURATION_MINUTES, max=MAX_DURATION_MINUTES))
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True, metadata={"description": "Last day, inclusive."})
    earliest_local = ClockTime(load_default=8 * 60, metadata={"example": "08:00"})
    latest_local = ClockTime(load_default=21 * 60, metadata={"example": "21:00"})
    timezone = IanaZone(metadata={"description": "Zone the candidate start times are "
                                                 "expressed in; default: the offering's."})
    step_minutes = fields.Integer(strict=True, load_default=30,
                                  validate=validate.OneOf([5, 10, 15, 20, 30, 60]))
    limit = fields.Integer(strict=True, load_default=10, validate=validate.Range(min=1, max=50))
    occurrences = fields.Integer(strict=True, load_default=1, validate=validate.Range(
        min=1, max=MAX_OCCURRENCES), metadata={
        "description": "Sessions in the planned series; above 1, a rotation of up to three "
                       "slots is proposed when it spreads the inconvenience more fairly."})

    @validates_schema
    def _consistent(self, data, **_kwargs):
        for name, key in (("from_", "from"), ("to", "to")):
            if name in data and not EARLIEST_YEAR <= data[name].year <= LATEST_YEAR:
                raise ValidationError(
                    f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.", key)
        if "from_" in data and "to" in data:
            span = (data["to"] - data["from_"]).days
            if span < 0:
                raise ValidationError("Must be on or after from.", "to")
            if span >= MAX_RANGE_DAYS:
                raise ValidationError(f"The range may cover at most {MAX_RANGE_DAYS} days.", "to")
        earliest, latest = data.get("earliest_local"), data.get("latest_local")
        if earliest is not None and latest is not None:
            if latest <= earliest:
                raise ValidationError("Must be after earliest_local.", "latest_local")
            if latest - earliest < data.get("duration_minutes", 0):
                raise ValidationError("The acceptable hours are shorter than the session.",
                                      "latest_local")


class ZoneFitOut(Schema):
    timezone = fields.String()
    participants = fields.Integer()
    local_start = fields.String(metadata={"description": "On the first day, with offset."})
    local_end = fields.String()
    local_start_times = fields.List(fields.String(), metadata={
        "description": "Every local start time over the range (two when DST shifts it)."})
    inside_days = fields.Integer()
    inside = fields.Boolean(metadata={"description": "Inside acceptable hours every day."})


class CandidateOut(Schema):
    start_local = fields.String(metadata={"description": "Daily start, HH:MM in `timezone`."})
    timezone = fields.String()
    first_start = UtcDateTime()
    covered = fields.Integer()
    total = fields.Integer()
    coverage = fields.Float()
    participant_days_inside = fields.Integer()
    zones = fields.List(fields.Nested(ZoneFitOut))


class RotationOut(Schema):
    slots = fields.List(fields.String(), metadata={"description": "Session i uses "
                                                                  "slots[i % len(slots)]."})
    occurrences = fields.Integer()
    worst_share_outside = fields.Float()
    average_share_outside = fields.Float()
    share_outside = fields.Dict(keys=fields.String(), values=fields.Float())


class SlotSuggestionsOut(Schema):
    offering_id = fields.String()
    timezone = fields.String()
    days = fields.Integer()
    participants = fields.Dict()
    candidates = fields.List(fields.Nested(CandidateOut))
    rotation = fields.Nested(RotationOut, allow_none=True)
