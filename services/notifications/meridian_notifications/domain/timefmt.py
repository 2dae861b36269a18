"""Times as a recipient reads them: CLDR wording in their locale and zone, the zone named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_skeleton, format_time, format_timedelta, get_timezone_location

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Zulu", "Etc/Zulu", "Universal"})
# "Monday, 15 March 2027" / "2027年3月15日星期一": the locale decides order and punctuation.
DAY_SKELETON = "yMMMMEEEEd"


@lru_cache(maxsize=16)
def babel_locale(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag (`zh-Hans` → zh_Hans)."""
    return Locale.parse(tag.replace("-", "_"))


def zone_of(name: str | None) -> ZoneInfo:
    """The IANA zone `name`, or UTC for unknown and missing names."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_instant(value: str | datetime) -> datetime:
    """An RFC 3339 string or datetime as an aware UTC datetime."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(
        str(value).replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def zone_name(zone: str, locale: str) -> str:
    """The zone as people call it, with its IANA id: `United Kingdom Time (Europe/London)`."""
    if zone in UTC_NAMES:
        return "UTC"
    try:
        return f"{get_timezone_location(zone_of(zone), locale=babel_locale(locale))} ({zone})"
    except (LookupError, ValueError):
        return zone


def when(value: str | datetime, zone: str, locale: str) -> str:
    """Day and clock time in `zone`, followed by the zone's name."""
    instant, tz, where = parse_instant(value), zone_of(zone), babel_locale(locale)
    day = format_skeleton(DAY_SKELETON, instant, tzinfo=tz, locale=where)
    clock = format_time(instant, format="short", tzinfo=tz, locale=where)
    return f"{where.datetime_formats['medium'].format(clock, day)} {zone_name(zone, locale)}"


def clock_time(value: str | datetime, zone: str, locale: str) -> str:
    """Only the clock time in `zone` (for an end time on the same day)."""
    return format_time(parse_instant(value), format="short", tzinfo=zone_of(zone),
                       locale=babel_locale(locale))


def duration(minutes: int, locale: str) -> str:
    """`1 hour`, `24 hours`, `30 minutes` in the locale's words."""
    unit = "hour" if minutes % 60 == 0 else "minute"
    return format_timedelta(timedelta(minutes=minutes), granularity=unit, threshold=10_000,
                            format="long", locale=babel_locale(locale))
