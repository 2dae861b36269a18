"""Marshmallow fields for the value types every service validates the same way."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from datetime import UTC
from importlib import resources

import langcodes
import pycountry
from marshmallow import ValidationError, fields, validates_schema

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What SafeString refuses, as JSON Schema patterns (ECMA-262 and Python read them alike):
# control characters other than tab and newline, and (unless empty is allowed) blank text.
_CONTROL = r"\x00-\x08\x0b-\x1f"
ANY_SAFE = rf"^[^{_CONTROL}]*$"
NONBLANK_SAFE = rf"^[^{_CONTROL}]*[^{_CONTROL}\s][^{_CONTROL}]*$"
_BIDI = r"\u202a-\u202e\u2066-\u2069"
NONBLANK_VISIBLE = rf"^[^{_CONTROL}{_BIDI}]*[^{_CONTROL}{_BIDI}\s][^{_CONTROL}{_BIDI}]*$"


def is_iana_zone(value: str) -> bool:
    """True for a canonical IANA zone name (e.g. Europe/London), False for anything else."""
    if not isinstance(value, str) or value not in _available_zones():
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


_ZONES: frozenset[str] | None = None
# Names zoneinfo loads from the system directory that are not zones of the IANA database.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def _available_zones() -> frozenset[str]:
    # zoneinfo also offers whatever files the system zone directory holds ("localtime",
    # "posix/...", "right/..."); the tzdata package's list is the IANA database's own.
    global _ZONES
    if _ZONES is None:
        listed = resources.files("tzdata").joinpath("zones").read_text().split()
        _ZONES = frozenset(zoneinfo.available_timezones() & set(listed)) - _NOT_ZONES
    return _ZONES


class IanaZone(fields.String):
    """An IANA time-zone name."""

    def openapi_constraints(self) -> dict:
        """Exactly the names `_deserialize` accepts."""
        return {"enum": sorted(_available_zones())}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not is_iana_zone(value):
            raise ValidationError(f"'{value}' is not an IANA time zone (e.g. Europe/London).")
        return value


class CountryCode(fields.String):
    """An ISO 3166-1 alpha-2 country code, normalised to upper case."""

    def openapi_constraints(self) -> dict:
        """The assigned codes (lower case is accepted too, and answered in upper case)."""
        return {"enum": sorted(c.alpha_2 for c in pycountry.countries)}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).upper()
        if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
            raise ValidationError(f"'{value}' is not an ISO 3166-1 alpha-2 country code.")
        return value


# Regional and script variants a course or a person's locale commonly names.
_VARIANTS = ("en-GB", "en-US", "en-AU", "en-CA", "en-IE", "en-IN", "en-NZ", "en-ZA",
             "fr-FR", "fr-CA", "fr-BE", "fr-CH", "de-DE", "de-AT", "de-CH", "es-ES", "es-MX",
             "es-419", "pt-BR", "pt-PT", "it-IT", "nl-NL", "nl-BE", "zh-Hans", "zh-Hant",
             "zh-CN", "zh-TW", "zh-HK", "sr-Latn", "sr-Cyrl", "ar-EG", "ar-SA")
_LANGUAGES: frozenset[str] | None = None


def known_languages() -> frozenset[str]:
    """ISO 639-1 languages and their common variants: the tags LanguageTag accepts."""
    global _LANGUAGES
    if _LANGUAGES is None:
        codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
        # Only tags that stay themselves once normalised ("sh" becomes "sr-Latn").
        _LANGUAGES = frozenset(tag for tag in codes | set(_VARIANTS)
                               if langcodes.Language.get(tag).to_tag() == tag)
    return _LANGUAGES


class LanguageTag(fields.String):
    """A well-formed, valid BCP 47 language tag, normalised (e.g. en-GB, zh-Hans)."""

    def openapi_constraints(self) -> dict:
        """The tags Meridian knows (any case is accepted, and answered normalised)."""
        return {"enum": sorted(known_languages())}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            tag = langcodes.Language.get(value, normalize=False)
        except (ValueError, langcodes.tag_parser.LanguageTagError) as exc:
            raise ValidationError(f"'{value}' is not a BCP 47 language tag.") from exc
        if not tag.is_valid():
            raise ValidationError(f"'{value}' is not a valid BCP 47 language tag.")
        if tag.to_tag() not in known_languages():
            raise ValidationError(f"'{value}' is not a language Meridian knows: an ISO 639-1 "
                                  "code, or one of its common regional or script variants.")
        return tag.to_tag()


class Slug(fields.String):
    """A lower-case slug such as an alliance identifier."""

    def openapi_constraints(self) -> dict:
        """Exactly what `_deserialize` accepts."""
        return {"pattern": _SLUG.pattern, "maxLength": 64}

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

    def openapi_constraints(self) -> dict:
        """Length, no control characters, and not blank unless empty is allowed."""
        if self.allow_empty:
            return {"maxLength": self.max_length, "pattern": ANY_SAFE}
        return {"minLength": 1, "maxLength": self.max_length, "pattern": NONBLANK_SAFE}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if not value and not self.allow_empty:
            raise ValidationError("Must not be empty.")
        if len(value) > self.max_length:
            raise ValidationError(f"Must be at most {self.max_length} characters.")
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in value) or "\x00" in value:
            raise ValidationError("Must not contain control characters.")
        return value


# Bidi embeddings, overrides and isolates can make a name read as something else (U+202E).
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Letters that render as blank space although Unicode files them as letters or symbols.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"})


def _is_visible(ch: str) -> bool:
    return ch not in _BLANK_LOOKALIKES and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES


def refuse_bidi_controls(value: str) -> None:
    """marshmallow validator: no bidi embedding, override or isolate characters."""
    if any(ch in _BIDI_CONTROLS for ch in value):
        raise ValidationError("Must not contain bidirectional override or isolate characters "
                              "(U+202A-U+202E, U+2066-U+2069).")


def refuse_invisible_only(value: str) -> None:
    """marshmallow validator: at least one visible character."""
    if value and not any(_is_visible(ch) for ch in value):
        raise ValidationError("Must contain at least one visible character.")


class VisibleText(SafeString):
    """A SafeString that shows something: not only invisible characters, no bidi controls."""

    def openapi_constraints(self) -> dict:
        """SafeString's, without bidi controls, and visible text (the format)."""
        return {"minLength": 1, "maxLength": self.max_length, "pattern": NONBLANK_VISIBLE,
                "format": "visible-text"}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        refuse_bidi_controls(value)
        refuse_invisible_only(value)
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
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            # 9999-12-31T23:59:59-23:00 is a valid RFC 3339 text whose UTC time is year 10000.
            raise ValidationError("The time is outside the years 0001-9999 once converted "
                                  "to UTC.") from exc


class AtLeastOneField:
    """Mixin for PATCH bodies: `{}` would change nothing, so it is refused (422) and the
    document says so (`minProperties: 1`)."""

    openapi_schema_constraints = {"minProperties": 1}

    @validates_schema
    def _not_empty(self, data, **_kwargs):
        if not data:
            raise ValidationError("Give at least one field to change.")
