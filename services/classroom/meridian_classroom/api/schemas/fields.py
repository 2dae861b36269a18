"""Field types for wall-clock input: local date-times, clock times, dates or instants."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from marshmallow import Schema, ValidationError, fields

from ...domain.localtime import EARLIEST_YEAR, LATEST_YEAR
from ...domain.slots import parse_hhmm

_LOCAL_HINT = "Give a local date-time such as 2026-03-02T14:00, without an offset."
_LOCAL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")
_CLOCK = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_INSTANT = rf"{_DATE}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\.[0-9]+)?(Z|[+-][0-9]{{2}}:[0-9]{{2}})"
_DATE_OR_INSTANT = re.compile(rf"^({_DATE}|{_INSTANT})$")


class LocalDateTime(fields.Field):
    """A wall-clock date-time without offset (the zone travels in its own field)."""

    def openapi_constraints(self) -> dict:
        """The shape; the format adds a real date and a year of 2000-2100."""
        return {"type": "string", "format": "local-date-time", "pattern": _LOCAL.pattern}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _LOCAL.match(value):
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

    def openapi_constraints(self) -> dict:
        """Exactly what `_deserialize` accepts."""
        return {"format": "clock-time", "pattern": _CLOCK.pattern}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not _CLOCK.match(text):
                raise ValueError(text)
            return parse_hhmm(text)
        except ValueError as exc:
            raise ValidationError("Give a time of day as HH:MM, e.g. 08:00.") from exc


class DateOrInstant(fields.String):
    """A date (`2026-03-02`, read in the request's zone) or an RFC 3339 instant with offset."""

    def openapi_constraints(self) -> dict:
        """The shape; the format adds a real date and a year of 2000-2100."""
        return {"format": "date-or-date-time", "pattern": _DATE_OR_INSTANT.pattern}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not _DATE_OR_INSTANT.match(text):
                raise ValueError(text)
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
