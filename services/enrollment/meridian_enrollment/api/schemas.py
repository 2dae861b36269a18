"""Request and response schemas of the enrollment API (unknown fields are refused)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from meridian_common.web.http import PageArgs
from meridian_common.web.validation import UtcDateTime

from ..domain.jobs import MAX_JOB_STUDENTS

# Ids travel in URLs, claim keys and draw digests: printable, no spaces, bounded.
_ID = validate.Regexp(r"^[A-Za-z0-9._:@|+-]{1,128}$",
                      error="Use 1-128 letters, digits or . _ : @ | + -")
MAX_BULK = MAX_JOB_STUDENTS


class IdString(fields.String):
    """An opaque id as this service accepts it."""

    def __init__(self, **kwargs):
        super().__init__(validate=_ID, **kwargs)


class EnrollIn(Schema):
    student_id = IdString()


class EnrollmentOut(Schema):
    id = fields.String()
    offering_id = fields.String()
    student_id = fields.String()
    institution_id = fields.String(allow_none=True)
    status = fields.String()
    waitlist_position = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    enrolled_by = fields.String()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class EnrollmentDrawOut(Schema):
    seed = fields.String()
    drawn_at = UtcDateTime()
    selected = fields.Boolean(metadata={"description": "Whether this student was selected"})


class EnrollmentWithDrawOut(EnrollmentOut):
    draw = fields.Nested(EnrollmentDrawOut, allow_none=True, metadata={
        "description": "The lottery draw of the offering, once drawn (null otherwise); "
                       "GET /offerings/{id}/draw tells how to re-run it"})


class MyEnrollmentsQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(
        ["confirmed", "waitlisted", "applied", "withdrawn", "cancelled"]))
    offering_id = IdString()


class BulkIn(Schema):
    student_ids = fields.List(IdString(), required=True, metadata={"uniqueItems": True},
                              validate=validate.Length(min=1, max=MAX_BULK))
    institution_id = IdString()

    @validates_schema
    def _unique(self, data, **_kwargs):
        ids = data.get("student_ids") or []
        if len(ids) != len(set(ids)):
            raise ValidationError("Each student may appear only once.", "student_ids")


class BulkResultOut(Schema):
    student_id = fields.String()
    status = fields.Integer(metadata={"description": "HTTP status a single enrollment would get"})
    enrollment = fields.Nested(EnrollmentOut, allow_none=True)
    code = fields.String(allow_none=True)
    detail = fields.String(allow_none=True)


class BulkOut(Schema):
    id = fields.String(metadata={"description": "The job; GET /api/v1/enrollment-jobs/{id}."})
    status = fields.String(validate=validate.OneOf(["queued", "running", "done"]))
    offering_id = fields.String()
    institution_id = fields.String(allow_none=True)
    total = fields.Integer(metadata={"description": "Students asked for."})
    processed = fields.Integer(metadata={"description": "Students with a result so far."})
    results = fields.List(fields.Nested(BulkResultOut), metadata={
        "description": "One per processed student, in the order given."})
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class RosterOut(Schema):
    offering_id = fields.String()
    capacity = fields.Integer()
    selection = fields.String()
    confirmed = fields.List(fields.Nested(EnrollmentOut))
    waitlisted = fields.List(fields.Nested(EnrollmentOut))
    applied = fields.List(fields.Nested(EnrollmentOut))


class DrawIn(Schema):
    seed = fields.String(validate=validate.Regexp(
        r"^[^\x00-\x1f\x7f]{1,128}$", error="Use 1-128 characters, no control characters."))
    quotas = fields.Dict(keys=IdString(), values=fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100_000)),
        validate=validate.Length(max=500))


class ApplicantOut(Schema):
    student_id = fields.String()
    institution_id = fields.String(allow_none=True)


class DrawOut(Schema):
    offering_id = fields.String()
    seed = fields.String()
    algorithm = fields.String()
    applicants = fields.List(fields.Nested(ApplicantOut))
    applicants_digest = fields.String()
    places = fields.Integer()
    quotas = fields.Dict(keys=fields.String(), values=fields.Integer())
    selected = fields.List(fields.String())
    waitlisted = fields.List(fields.String())
    how_to_verify = fields.String()
    drawn_by = fields.String()
    drawn_at = UtcDateTime()
    complete = fields.Boolean(metadata={
        "description": "Whether every application already got its outcome (large draws "
                       "finish in the background within a minute)"})


class DrawCountsOut(Schema):
    applicants = fields.Integer()
    selected = fields.Integer()
    waitlisted = fields.Integer()


class DrawReadOut(DrawOut):
    counts = fields.Nested(DrawCountsOut)

    class Meta:
        description = ("A drawn lottery. `applicants`, `selected`, `waitlisted` and `drawn_by` "
                       "are given to course staff and admins only; students get `counts`.")
