"""A user's notification preferences and the rules every stored value obeys."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

from .locales import DEFAULT_LOCALE, SUPPORTED_LOCALES, canonical, closest, is_supported

DIGESTS = ("off", "daily")
CHANNELS = ("email", "portal")
DEFAULT_REMINDERS = (1440, 60)
# A week ahead is the furthest a reminder is still "about" the coming session.
MAX_REMINDER_MINUTES = 7 * 24 * 60
MAX_REMINDERS = 6
EDITABLE = ("locale", "timezone", "channels", "reminders_minutes", "digest")


class InvalidPreferences(ValueError):
    """Values a user may not store; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Channels:
    """Where notices reach the user: by e-mail, in the portal, or both."""

    email: bool = True
    portal: bool = True


@dataclass(frozen=True)
class NotificationPreferences:
    """What a user chose, plus the address, name and locale their token last carried."""

    user_id: str
    email: str | None = None
    name: str | None = None
    locale: str = DEFAULT_LOCALE
    timezone: str = "UTC"
    channels: Channels = field(default_factory=Channels)
    reminders_minutes: tuple[int, ...] = DEFAULT_REMINDERS
    digest: str = "off"
    unsubscribe_token: str = ""
    version: int = 0
    updated_at: datetime | None = None

    @property
    def emails_wanted(self) -> bool:
        """True when mail can and may be sent: an address is known and the channel is on."""
        return bool(self.email) and self.channels.email


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "posixrules", "Factory"}


def zone_error(value) -> str | None:
    """Why `value` is not an IANA zone name, or None."""
    if isinstance(value, str) and value in _zones():
        return None
    return f"{value!r} is not an IANA time zone (e.g. Europe/London)."


def locale_error(value) -> str | None:
    """Why `value` is not a supported locale, or None."""
    if is_supported(value):
        return None
    return f"{value!r} is not a supported locale ({', '.join(SUPPORTED_LOCALES)})."


def reminders_error(value) -> str | None:
    """Why `value` is not a list of reminder offsets in minutes, or None."""
    if not isinstance(value, list | tuple) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        return "Reminder offsets are a list of whole minutes before the session."
    if len(value) > MAX_REMINDERS:
        return f"At most {MAX_REMINDERS} reminders per session."
    if any(v < 0 or v > MAX_REMINDER_MINUTES for v in value):
        return f"Each offset is between 0 and {MAX_REMINDER_MINUTES} minutes (one week)."
    if len(set(value)) != len(value):
        return "Each offset may be given once."
    return None


def digest_error(value) -> str | None:
    """Why `value` is not a digest mode, or None."""
    return None if value in DIGESTS else f"Digest is one of: {', '.join(DIGESTS)}."


def check_changes(changes: dict) -> None:
    """Raise InvalidPreferences unless every key of `changes` is editable and valid."""
    errors: dict[str, list[str]] = {}
    checks = {"locale": locale_error, "timezone": zone_error,
              "reminders_minutes": reminders_error, "digest": digest_error}
    for name, value in changes.items():
        if name == "channels":
            problem = None if isinstance(value, Channels) else "Channels are {email, portal}."
        elif name in checks:
            problem = checks[name](value)
        else:
            problem = "Unknown field."
        if problem:
            errors[name] = [problem]
    if errors:
        raise InvalidPreferences(errors)


def apply_changes(prefs: NotificationPreferences, changes: dict) -> NotificationPreferences:
    """`prefs` with validated `changes`; offsets stored longest first, locale canonical."""
    check_changes(changes)
    normal = dict(changes)
    if "locale" in normal:
        normal["locale"] = canonical(normal["locale"])
    if "reminders_minutes" in normal:
        normal["reminders_minutes"] = tuple(sorted(normal["reminders_minutes"], reverse=True))
    return replace(prefs, **normal)


def defaults_for(user_id: str, *, locale: str | None, timezone: str | None) -> \
        NotificationPreferences:
    """Preferences of a user who never chose: the token's locale and zone, both channels."""
    zone = timezone if timezone and zone_error(timezone) is None else "UTC"
    return NotificationPreferences(user_id=user_id, locale=closest(locale), timezone=zone)
