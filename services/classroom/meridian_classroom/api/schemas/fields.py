"""Field types for wall-clock input: local date-times, clock times, dates or instants."""

from __future__ import annotations

from datetime import UTC, date, datetime

from marshmallow import Schema, ValidationError, fields

from ...domain.localtime import EARLIEST_YEAR, LATEST_YEAR
from ...domain.slots import parse_hhmm

_LOCAL_HINT = "Give a local date-time such as 2026-03-02T14:00, without an offset."


class LocalDateTime(fields.Field):
    """A wall-clock date-time without offset (the zone travels in its own field)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or "T" not in value or len(value) > 32:
            raise ValidationError(_LOCAL_HINT)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError(_LOCAL_HINT) from exc
        if parsed.tzinfo is not None:
            raise ValidationError("Give the local wall-clock time without an offset or 'Z'; "
                                  "the zone goes in 'timezone'.")
        if parsed.second or parsed.microsecond:
            raise ValidationError("Give the time to the minute (no seconds).")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise ValidationError(f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return parsed

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat(timespec="minutes")


class ClockTime(fields.String):
    """`HH:MM` (00:00 to 24:00), answered as minutes after midnight."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_hhmm(text)
        except ValueError as exc:
            raise ValidationError("Give a time of day as HH:MM, e.g. 08:00.") from exc


class DateOrInstant(fields.String):
    """A date (`2026-03-02`, read in the request's zone) or an RFC 3339 instant with offset."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if "T" not in text and len(text) == 10:
                parsed = date.fromisoformat(text)
                year = parsed.year
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
                if parsed.tzinfo is None:
                    raise ValueError("naive")
                year = parsed.year
                parsed = parsed.astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            # OverflowError: an offset that pushes the instant past year 1 or 9999 in UTC.
            raise ValidationError("Give a date (2026-03-02) or a date-time with offset "
                                  "(2026-03-02T09:00:00Z).") from exc
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return parsed


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A documented list envelope for `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(), "per_page": fields.Integer(), "total": fields.Integer(),
    }, name=name)
