"""Language and time zone of each request, and CLDR formatting helpers for templates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from flask import Flask, request, session
from flask_babel import Babel, get_locale, get_timezone

from . import formatting
from .identity import current_user
from .labels import labels

# Catalogue directory names (Babel locale identifiers) and the BCP 47 tag each page declares.
LANGUAGES = {"en": "en", "zh_Hans": "zh-Hans"}
NATIVE_NAMES = {"en": "English", "zh_Hans": "简体中文"}


def supported(tag: str | None) -> str | None:
    """The supported catalogue for a BCP 47 or POSIX tag (`zh-CN`, `zh-Hans`, `en-GB`)."""
    if not tag:
        return None
    try:
        parsed = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if parsed.language == "zh":
        # Traditional scripts are not translated yet: fall through to the next choice.
        script = parsed.script or ("Hant" if parsed.territory in {"TW", "HK", "MO"} else "Hans")
        return "zh_Hans" if script == "Hans" else None
    return parsed.language if parsed.language in LANGUAGES else None


def select_locale() -> str:
    """The switcher's choice, else the user's `locale` claim, else Accept-Language, else en."""
    for candidate in (session.get("locale_choice"),
                      current_user().locale if current_user() else None):
        chosen = supported(candidate)
        if chosen:
            return chosen
    for tag, _quality in request.accept_languages:
        chosen = supported(tag)
        if chosen:
            return chosen
    return "en"


def valid_zone(name: str | None) -> str | None:
    """`name` if it is an IANA zone this machine knows, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def select_timezone() -> str:
    """The user's `timezone` claim, else the zone chosen in the session, else UTC."""
    user = current_user()
    return valid_zone(user.timezone if user else None) or valid_zone(
        session.get("zone_choice")) or "UTC"


def _context() -> dict:
    locale = str(get_locale())
    zone = str(get_timezone())

    def when(value, fmt: str = "medium", zone_name: str | None = None) -> str:
        return formatting.format_instant(value, zone_name or zone, locale, fmt)

    return {
        "html_lang": LANGUAGES.get(locale, "en"), "languages": NATIVE_NAMES,
        "current_locale": locale, "viewer_zone": zone, "when": when,
        "zone_label": lambda name: formatting.zone_label(name, locale),
        "day": lambda value: formatting.format_day(value, locale),
        "current_user": current_user(), "now_iso": datetime.now().astimezone().isoformat(),
        "labels": labels(),
    }


def install(app: Flask) -> None:
    """Flask-Babel with the portal's selectors, plus template helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = "translations"
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.context_processor(_context)
