"""Pure formatting and time rules for pages: CLDR dates in a locale and zone, join windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_skeleton,
    format_time,
    format_timedelta,
    get_timezone_location,
)

JOIN_OPENS_BEFORE = timedelta(minutes=15)
# The locale decides order and punctuation ("Mon, Mar 1, 2027, 4:00 PM", "2027年3月1日周一
# 16:00"); no seconds anywhere.
DATE_SKELETON = "yMMMEd"


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    # Babel parses a locale string on every call otherwise; pages format dozens of times.
    return Locale.parse(tag)


def parse_instant(value: str | datetime | None) -> datetime | None:
    """An RFC 3339 string (or datetime) as an aware UTC datetime; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_instant(value, zone: str, locale: str, fmt: str = "medium") -> str:
    """`value` shown in `zone` the way `locale` writes dates and times (CLDR)."""
    return _formatted(value, zone, locale, fmt)


# Pure and costly (about half a millisecond): the same sessions come back page after page.
@lru_cache(maxsize=8192)
def _formatted(value, zone: str, locale: str, fmt: str) -> str:
    instant = parse_instant(value)
    if instant is None:
        return ""
    tz, where = ZoneInfo(zone), _locale(locale)
    if fmt in ("medium", "time"):
        clock = format_time(instant, format="short", tzinfo=tz, locale=where)
        if fmt == "time":
            return clock
        day = format_skeleton(DATE_SKELETON, instant, tzinfo=tz, locale=where)
        return where.datetime_formats["medium"].format(clock, day)
    return format_datetime(instant, format=fmt, tzinfo=tz, locale=where)


def format_day(value: str | date, locale: str) -> str:
    """A calendar date (`2027-03-01`) in the locale's medium form."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="medium", locale=locale)


def zone_label(zone: str, locale: str) -> str:
    """The zone's CLDR location name (`United Kingdom Time`, `中国时间`) and its IANA id."""
    if zone in {"UTC", "Etc/UTC", "GMT"}:
        return "UTC"
    try:
        return f"{get_timezone_location(ZoneInfo(zone), locale=locale)} ({zone})"
    except (LookupError, ValueError):
        return zone


def relative(delta: timedelta, locale: str) -> str:
    """`in 3 hours` / `3小时后` style wording for a countdown's text fallback."""
    return format_timedelta(delta, add_direction=True, locale=locale, threshold=1.1)


def join_state(start, end, now: datetime | None = None) -> tuple[str, datetime | None]:
    """`("not_started", opens_at)`, `("open", None)` or `("ended", None)` for a session."""
    now = now or datetime.now(UTC)
    starts, ends = parse_instant(start), parse_instant(end)
    opens = starts - JOIN_OPENS_BEFORE
    if now < opens:
        return "not_started", opens
    if now >= ends:
        return "ended", None
    return "open", None


def window_state(opens_at, closes_at, now: datetime | None = None) -> str:
    """`not_open_yet`, `open` or `closed` for an offering's enrollment window."""
    now = now or datetime.now(UTC)
    if now < parse_instant(opens_at):
        return "not_open_yet"
    if now >= parse_instant(closes_at):
        return "closed"
    return "open"


def eligibility(rules: dict | None, institution: dict | None) -> tuple[bool, str, list[str]]:
    """Whether the viewer's institution may enroll, the reason code, and the names behind it.

    Mirrors the API's rule (any listed institution, alliance or country admits); the API has
    the last word when the student actually enrolls.
    """
    if not rules or not any(rules.get(k) for k in ("institutions", "alliances", "countries")):
        return True, "everyone", []
    if not institution:
        return False, "no_institution", []
    if institution.get("id") in (rules.get("institutions") or []):
        return True, "institution", [institution.get("name", "")]
    shared = sorted(set(institution.get("alliances") or []) & set(rules.get("alliances") or []))
    if shared:
        return True, "alliance", shared
    if institution.get("country") in (rules.get("countries") or []):
        return True, "country", [institution["country"]]
    return False, "not_listed", []
