"""Language and time zone of each request, and CLDR formatting helpers for templates."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError
from flask import Flask, g, request, session
from flask_babel import Babel, get_locale, get_timezone, get_translations

from . import formatting
from .identity import current_user
from .labels import labels

TRANSLATIONS = Path(__file__).parent / "translations"
# The templates' own language: it needs no catalogue.
SOURCE_LANGUAGE = "en"


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Babel identifiers of every language with a catalogue (adding a language is adding one
    catalogue), the source language first."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo"))
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


def bcp47(code: str) -> str:
    """The BCP 47 tag for a Babel identifier (`zh_Hans` → `zh-Hans`), for `<html lang>`."""
    return code.replace("_", "-")


@lru_cache(maxsize=1)
def native_names() -> dict[str, str]:
    """Each available language named in itself (CLDR), for the switcher."""
    return {code: Locale.parse(code).get_display_name(code) for code in available_languages()}


def text_direction(code: str) -> str:
    """`rtl` for right-to-left scripts (Arabic, Hebrew ...), else `ltr` (CLDR's order)."""
    try:
        order = Locale.parse(code).character_order
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def supported(tag: str | None, available: tuple[str, ...] | None = None) -> str | None:
    """The catalogue for a BCP 47 or POSIX tag (`zh-CN`, `zh-Hans`, `en-GB`), if there is one."""
    if not tag:
        return None
    try:
        parsed = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    have = available or available_languages()
    script = parsed.script
    if parsed.language == "zh" and not script:
        # Chinese tags often name a territory instead of a script.
        script = "Hant" if parsed.territory in {"TW", "HK", "MO"} else "Hans"
    if script:
        # A script we have no catalogue for (zh-Hant) falls through to the next choice.
        wanted = f"{parsed.language}_{script}"
        return wanted if wanted in have else None
    return parsed.language if parsed.language in have else None


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


@lru_cache(maxsize=1)
def picker_zones() -> tuple[str, ...]:
    """Suggestions for time-zone fields: the region/city zones people recognise, plus UTC."""
    places = sorted(z for z in available_timezones() if "/" in z and not z.startswith(
        ("Etc/", "SystemV/", "posix/", "right/")))
    return (*places, "UTC")


def select_timezone() -> str:
    """The zone of the user's preferences (kept in the session), else their `timezone` claim,
    else UTC."""
    user = current_user()
    return valid_zone(session.get("zone_choice")) or valid_zone(
        user.timezone if user else None) or "UTC"


def _context() -> dict:
    locale = str(get_locale())
    zone = str(get_timezone())

    def when(value, fmt: str = "medium", zone_name: str | None = None) -> str:
        return formatting.format_instant(value, zone_name or zone, locale, fmt)

    return {
        "html_lang": bcp47(locale), "html_dir": text_direction(locale),
        "languages": native_names(),
        "current_locale": locale, "viewer_zone": zone, "when": when,
        "zone_label": lambda name: formatting.zone_label(name, locale),
        "day": lambda value: formatting.format_day(value, locale),
        "current_user": current_user(), "now_iso": datetime.now().astimezone().isoformat(),
        "labels": labels(), "time_zones": picker_zones,
    }


def _translations():
    # Flask-Babel finds the catalogue again on every call (locale, domain, cache look-ups);
    # a timetable page translates a few hundred strings, so keep it for the request.
    found = g.get("_portal_translations")
    if found is None:
        found = g._portal_translations = get_translations()
    return found


def install(app: Flask) -> None:
    """Flask-Babel with the portal's selectors, plus template helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = "translations"
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.context_processor(_context)
