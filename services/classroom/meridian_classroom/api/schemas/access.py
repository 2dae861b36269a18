"""Schemas for joining, attendance, calendar feeds and meeting providers."""

from __future__ import annotations

from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from meridian_common.web.validation import UtcDateTime, refuse_bidi_controls

from ...domain.session import PROVIDERS


class JoinOut(Schema):
    join_url = fields.String(metadata={
        "description": "For the caller only: signed for them and expiring at `expires_at`, "
                       "unless `public_room` is true."})
    provider = fields.String()
    public_room = fields.Boolean(metadata={
        "description": "True: an unsigned Jitsi room the faculty chose; anyone holding the "
                       "link can enter."})
    expires_at = UtcDateTime()
    attendance_id = fields.String()
    role = fields.String()


class VisitOut(Schema):
    joined_at = UtcDateTime()
    left_at = UtcDateTime(allow_none=True)


class AttendeeOut(Schema):
    user_id = fields.String()
    role = fields.String()
    joins = fields.Integer()
    first_joined_at = UtcDateTime()
    last_left_at = UtcDateTime(allow_none=True)
    duration_seconds = fields.Integer(allow_none=True, metadata={
        "description": "Time present, where the provider reports departures; else null."})
    visits = fields.List(fields.Nested(VisitOut))
    local_timezone = fields.String(metadata={"description": "The `tz` asked for."})
    first_joined_local = fields.String()
    last_left_local = fields.String(allow_none=True)


class MyVisitOut(Schema):
    id = fields.String(metadata={"description": "The attendance id the join answered."})
    session_id = fields.String()
    offering_id = fields.String()
    session_title = fields.String(allow_none=True)
    session_kind = fields.String(allow_none=True)
    session_start = UtcDateTime(allow_none=True)
    session_end = UtcDateTime(allow_none=True)
    joined_at = UtcDateTime()
    left_at = UtcDateTime(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True, metadata={
        "description": "Whole minutes present, where the provider reported the departure."})
    local_timezone = fields.String(metadata={"description": "The `tz` asked for."})
    local_start = fields.String(allow_none=True)
    local_end = fields.String(allow_none=True)
    local_joined_at = fields.String()
    local_left_at = fields.String(allow_none=True)


class FeedOut(Schema):
    url = fields.String(metadata={"description": "Secret: anyone holding it reads the feed."})
    created_at = UtcDateTime()


class FeedStatusOut(Schema):
    active = fields.Boolean()
    created_at = UtcDateTime(allow_none=True)


def _https_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or len(value) > 2000 or any(
            ch.isspace() for ch in value):
        raise ValidationError("Give an https:// URL of the meeting (max 2000 characters).")


class MeetingProviderIn(Schema):
    provider = fields.String(required=True, validate=validate.OneOf(PROVIDERS), metadata={
        "description": "bbb (BigBlueButton), jitsi, or external (a meeting URL of any "
                       "platform, e.g. a regional one)."})
    url = fields.String(validate=[_https_url, refuse_bidi_controls],
                        metadata={"description": "Only for external."})
    public_room = fields.Boolean(load_default=False, metadata={
        "description": "Only for jitsi: true accepts an unsigned public room (anyone holding "
                       "the link can enter). Required where the deployment's Jitsi does not "
                       "check tokens."})

    @validates_schema
    def _url_only_for_external(self, data, **_kwargs):
        if data.get("public_room") and data.get("provider") != "jitsi":
            raise ValidationError("Only a jitsi provider has public rooms.", "public_room")
        if data.get("provider") == "external" and not data.get("url"):
            raise ValidationError("An external provider needs the meeting's url.", "url")
        if data.get("provider") != "external" and data.get("url"):
            raise ValidationError("Only an external provider takes a url.", "url")


class MeetingProviderOut(Schema):
    offering_id = fields.String()
    provider = fields.String()
    url = fields.String(allow_none=True)
    public_room = fields.Boolean(metadata={
        "description": "True: unsigned Jitsi rooms that anyone holding a link can enter."})
    configured = fields.Boolean(metadata={"description": "False: the deployment default."})
    updated_at = UtcDateTime(allow_none=True)
