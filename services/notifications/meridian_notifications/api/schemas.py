"""Request and response bodies of the notifications API; values checked by the domain rules."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from meridian_common.web.http import PageArgs
from meridian_common.web.validation import AtLeastOneField, IanaZone

from ..domain.locales import SUPPORTED_LOCALES
from ..domain.preferences import (
    DIGESTS,
    MAX_REMINDER_MINUTES,
    MAX_REMINDERS,
    digest_error,
    locale_error,
    reminders_error,
    zone_error,
)

_FROM_TOKEN = "Recorded from the verified token on every call; a value sent is ignored."


def _rule(check):
    def run(value):
        problem = check(value)
        if problem:
            raise ValidationError(problem)
    return run


class JsonBoolean(fields.Boolean):
    """JSON `true` or `false` only: 0 and 1 equal False and True in Python, not in JSON."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ChannelsSchema(Schema):
    """Where notices reach the user."""

    email = JsonBoolean(required=True,
                           metadata={"description": "Send e-mail (needs an address)."})
    portal = JsonBoolean(required=True,
                            metadata={"description": "Show notices in the portal inbox."})


class PreferencesIn(AtLeastOneField, Schema):
    """The user's choices; fields left out keep their current values (`{}` changes nothing: 422)."""

    email = fields.String(allow_none=True, metadata={"description": _FROM_TOKEN})
    name = fields.String(allow_none=True, metadata={"description": _FROM_TOKEN})
    locale = fields.String(validate=_rule(locale_error),
                           metadata={"enum": list(SUPPORTED_LOCALES)})
    timezone = IanaZone(validate=_rule(zone_error),
                        metadata={"description": "IANA zone, e.g. Asia/Shanghai"})
    channels = fields.Nested(ChannelsSchema)
    reminders_minutes = fields.List(
        fields.Integer(strict=True, validate=validate.Range(0, MAX_REMINDER_MINUTES)),
        validate=[validate.Length(max=MAX_REMINDERS,
                                  error=f"At most {MAX_REMINDERS} reminders per session."),
                  _rule(reminders_error)],
        metadata={"uniqueItems": True,
                  "description": f"Minutes before each session, at most {MAX_REMINDERS}, "
                                 "each once; [] turns reminders off."})
    digest = fields.String(validate=_rule(digest_error), metadata={"enum": list(DIGESTS)})


class PreferencesOut(Schema):
    """A user's preferences as stored (or the defaults they start with)."""

    email = fields.String(allow_none=True, metadata={"description": _FROM_TOKEN})
    name = fields.String(allow_none=True, metadata={"description": _FROM_TOKEN})
    locale = fields.String(required=True, metadata={"enum": list(SUPPORTED_LOCALES)})
    timezone = fields.String(required=True)
    channels = fields.Nested(ChannelsSchema, required=True)
    reminders_minutes = fields.List(fields.Integer(), required=True)
    digest = fields.String(required=True, metadata={"enum": list(DIGESTS)})
    email_deliverable = fields.Boolean(
        required=True, metadata={"description": "An address is known and e-mail is on; "
                                                "otherwise notices appear in the portal only."})
    updated_at = fields.String(allow_none=True)


class InboxArgs(PageArgs):
    """`?page=&per_page=&unread=true`."""

    unread = fields.Boolean(load_default=False, truthy={"true"}, falsy={"false"},
                            metadata={"description": "`true`: only notices not yet read"})


class NotificationOut(Schema):
    """One notice in the portal inbox."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    subject = fields.String(required=True)
    body = fields.String(required=True)
    link = fields.String(allow_none=True)
    data = fields.Dict()
    created_at = fields.String(required=True)
    read_at = fields.String(allow_none=True)
    read = fields.Boolean(required=True)


class InboxPage(Schema):
    """One page of the inbox, plus the unread count for the portal's bell."""

    items = fields.List(fields.Nested(NotificationOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    unread_count = fields.Integer(required=True)


class FailureOut(Schema):
    """A delivery given up for good (the mail server refused it or retries ran out)."""

    id = fields.String(required=True)
    event_id = fields.String(required=True)
    recipient = fields.String(required=True)
    to_address = fields.String(allow_none=True)
    kind = fields.String(required=True)
    subject = fields.String(required=True)
    attempts = fields.Integer(required=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.String(required=True)


class FailuresPage(Schema):
    """One page of permanently failed deliveries."""

    items = fields.List(fields.Nested(FailureOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class UnsubscribeOut(Schema):
    """What the one-click link does (GET) or did (POST)."""

    email_notifications = fields.Boolean(required=True,
                                         metadata={"description": "E-mail channel after this"})
    changed = fields.Boolean(required=True)
    detail = fields.String(required=True)
