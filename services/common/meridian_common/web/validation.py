"""Marshmallow fields for the value types every service validates the same way."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC

import langcodes
import pycountry
from marshmallow import ValidationError, fields

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_iana_zone(value: str) -> bool:
    """True for a real IANA zone name (e.g. Europe/London), False for anything else."""
    if not isinstance(value, str) or not value or value != value.strip() or ".." in value:
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return value in _available_zones()


_ZONES: set[str] | None = None


def _available_zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = set(zoneinfo.available_timezones())
    return _ZONES


class IanaZone(fields.String):
    """An IANA time-zone name."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not is_iana_zone(value):
            raise ValidationError(f"'{value}' is not an IANA time zone (e.g. Europe/London).")
        return value


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 country code, normalised to upper case."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).upper()
        if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
            raise ValidationError(f"'{value}' is not an ISO 3166-1 alpha-2 country code.")
        return value


class LanguageTag(fields.String):
    """A well-formed, valid BCP 47 language tag, normalised (e.g. en-GB, zh-Hans)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            tag = langcodes.Language.get(value, normalize=False)
        except (ValueError, langcodes.tag_parser.LanguageTagError) as exc:
            raise ValidationError(f"'{value}' is not a BCP 47 language tag.") from exc
        if not tag.is_valid():
            raise ValidationError(f"'{value}' is not a valid BCP 47 language tag.")
        return tag.to_tag()


class Slug(fields.String):
    """A lower-case slug such as an alliance identifier."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not _SLUG.match(value) or len(value) > 64:
            raise ValidationError("Use lower-case letters, digits and single hyphens (max 64).")
        return value


class SafeString(fields.String):
    """A trimmed string without control characters, bounded in length."""

    def __init__(self, *args, max_length: int = 200, allow_empty: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.allow_empty = allow_empty

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if not value and not self.allow_empty:
            raise ValidationError("Must not be empty.")
        if len(value) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length} characters.")
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in value) or "\x00" in value:
            raise ValidationError("Must not contain control characters.")
        return value


class UtcDateTime(fields.AwareDateTime):
    """RFC 3339 timestamps: any offset accepted on input, always answered in UTC with `Z`."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        spec = "milliseconds" if value.microsecond else "seconds"
        return value.isoformat(timespec=spec).replace("+00:00", "Z")

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)
