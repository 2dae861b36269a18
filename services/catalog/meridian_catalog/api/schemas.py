"""Request and response schemas of the catalog API (unknown fields are refused)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from meridian_common.web.http import PageArgs
from meridian_common.web.validation import (
    AtLeastOneField,
    CountryCode,
    IanaZone,
    LanguageTag,
    SafeString,
    Slug,
    UtcDateTime,
    VisibleText,
    refuse_bidi_controls,
)

_SHORT = 200


class InstitutionIn(Schema):
    name = VisibleText(required=True, max_length=_SHORT)
    country = CountryCode(required=True)
    timezone = IanaZone(required=True)
    alliances = fields.List(Slug(), load_default=list, validate=validate.Length(max=50))


class InstitutionPatch(AtLeastOneField, Schema):
    name = VisibleText(max_length=_SHORT)
    country = CountryCode()
    timezone = IanaZone()
    alliances = fields.List(Slug(), validate=validate.Length(max=50))



class InstitutionOut(Schema):
    id = fields.String()
    name = fields.String()
    country = fields.String()
    timezone = fields.String()
    alliances = fields.List(fields.String())
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class InstitutionQuery(PageArgs):
    alliance = Slug()
    country = CountryCode()


class FacultyIn(Schema):
    user_id = SafeString(required=True, max_length=128)
    role = fields.String(required=True, validate=validate.OneOf(["lead", "instructor", "ta"]))


def _unique_faculty(faculty: list[dict]) -> None:
    # Members that failed their own validation arrive without a user_id: they are reported
    # already, and must not turn a 422 into a 500 here.
    ids = [member["user_id"] for member in faculty if "user_id" in member]
    if len(ids) != len(set(ids)):
        raise ValidationError("Each faculty member may appear only once.", "faculty")


class CourseFields(Schema):
    title = VisibleText(max_length=_SHORT)
    summary = SafeString(max_length=5000, allow_empty=True, validate=refuse_bidi_controls)
    languages = fields.List(LanguageTag(), validate=validate.Length(min=1, max=10))
    discipline = VisibleText(max_length=100)
    level = VisibleText(max_length=50)
    credits = fields.Float(validate=validate.Range(min=0, max=120), allow_nan=False)
    tags = fields.List(VisibleText(max_length=40), validate=validate.Length(max=30))
    faculty = fields.List(fields.Nested(FacultyIn), validate=validate.Length(max=100),
                          metadata={"uniqueItems": True})

    @validates_schema(skip_on_field_errors=False)
    def _faculty_unique(self, data, **_kwargs):
        if "faculty" in data:
            _unique_faculty(data["faculty"])


class CourseIn(CourseFields):
    code = VisibleText(required=True, max_length=32)
    title = VisibleText(required=True, max_length=_SHORT)
    provider_institution_id = SafeString(required=True, max_length=64)
    languages = fields.List(LanguageTag(), required=True, validate=validate.Length(min=1, max=10))
    summary = SafeString(max_length=5000, allow_empty=True, load_default="",
                         validate=refuse_bidi_controls)
    tags = fields.List(VisibleText(max_length=40), validate=validate.Length(max=30),
                       load_default=list)
    faculty = fields.List(fields.Nested(FacultyIn), validate=validate.Length(max=100),
                          load_default=list, metadata={
                              "uniqueItems": True,
                              "description": "Members other than the caller are invited and "
                                             "teach once they accept (platform admins' lists "
                                             "need no acceptance)."})


class CoursePatch(AtLeastOneField, CourseFields):
    """Fields to change (at least one)."""


class OfferingSummary(Schema):
    id = fields.String()
    term = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.String()
    selection = fields.String()
    seats_available = fields.Integer()


class FacultyOut(Schema):
    user_id = fields.String()
    role = fields.String()
    status = fields.String(metadata={
        "description": "active: teaches the course; invited: listed by a course admin and not "
                       "yet accepted (not bookable for live sessions, not announced)."})


class InvitationOut(Schema):
    id = fields.String()
    course_id = fields.String()
    course_code = fields.String()
    course_title = fields.String()
    provider_institution_id = fields.String()
    role = fields.String()
    status = fields.String(metadata={"description": "invited, accepted or declined"})


class CourseOut(Schema):
    id = fields.String()
    code = fields.String()
    title = fields.String()
    summary = fields.String()
    provider_institution_id = fields.String()
    languages = fields.List(fields.String())
    discipline = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    credits = fields.Float(allow_none=True)
    tags = fields.List(fields.String())
    faculty = fields.List(fields.Nested(FacultyOut))
    status = fields.String()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)
    archived_at = UtcDateTime(allow_none=True)


class CourseDetailOut(CourseOut):
    offerings = fields.List(fields.Nested(OfferingSummary))


class CourseQuery(PageArgs):
    q = SafeString(max_length=200)
    language = LanguageTag()
    discipline = SafeString(max_length=100)
    provider = SafeString(max_length=64)
    alliance = Slug()
    level = SafeString(max_length=50)
    status = fields.String(validate=validate.OneOf(["draft", "published", "archived"]))


class EligibilityIn(Schema):
    institutions = fields.List(SafeString(max_length=64), load_default=list,
                               validate=validate.Length(max=500))
    alliances = fields.List(Slug(), load_default=list, validate=validate.Length(max=50))
    countries = fields.List(CountryCode(), load_default=list, validate=validate.Length(max=250))


class OfferingIn(Schema):
    term = VisibleText(required=True, max_length=64)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    timezone = IanaZone(required=True)
    capacity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=100_000))
    enrollment_opens_at = UtcDateTime(required=True)
    enrollment_closes_at = UtcDateTime(required=True)
    eligibility = fields.Nested(EligibilityIn, allow_none=True, load_default=None)
    selection = fields.String(load_default="first_come",
                              validate=validate.OneOf(["first_come", "lottery"]))
    waitlist = fields.Boolean(load_default=True)


class OfferingPatch(AtLeastOneField, Schema):
    capacity = fields.Integer(strict=True, validate=validate.Range(min=1, max=100_000))
    enrollment_opens_at = UtcDateTime()
    enrollment_closes_at = UtcDateTime()
    eligibility = fields.Nested(EligibilityIn, allow_none=True)



class EligibilityOut(Schema):
    institutions = fields.List(fields.String())
    alliances = fields.List(fields.String())
    countries = fields.List(fields.String())


class OfferingOut(Schema):
    id = fields.String()
    course_id = fields.String()
    provider_institution_id = fields.String()
    term = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    timezone = fields.String()
    capacity = fields.Integer()
    enrollment_opens_at = UtcDateTime()
    enrollment_closes_at = UtcDateTime()
    eligibility = fields.Nested(EligibilityOut, allow_none=True)
    selection = fields.String()
    waitlist = fields.Boolean()
    status = fields.String()
    seats_taken = fields.Integer()
    seats_available = fields.Integer()
    waitlist_length = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    cancelled_at = UtcDateTime(allow_none=True)


class OfferingQuery(PageArgs):
    status = fields.String(validate=validate.OneOf(["open", "cancelled"]))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A documented list envelope for `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(), "per_page": fields.Integer(), "total": fields.Integer(),
    }, name=name)
