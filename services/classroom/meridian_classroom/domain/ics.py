"""RFC 5545 calendars: one VEVENT per session, in the zone it was scheduled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from .localtime import in_zone

PRODID = "-//Meridian//Classroom 1.0//EN"
REFRESH = timedelta(hours=1)
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu",
                       "Etc/Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
                       "GMT0", "GMT+0", "GMT-0", "Etc/Greenwich", "Greenwich"})
# VTIMEZONE definitions only need to cover the events, with a margin on both sides.
ZONE_MARGIN = timedelta(days=7)


@dataclass(frozen=True)
class FeedEntry:
    """What one session contributes to a calendar."""

    uid: str
    start: datetime
    end: datetime
    zone: str
    summary: str
    description: str
    location: str
    category: str
    cancelled: bool
    sequence: int
    created: datetime
    modified: datetime


def calendar_uid(session_id: str) -> str:
    """The UID a session has in every calendar Meridian hands out (feeds, e-mail invitations)."""
    return f"{session_id}@meridian"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _when(instant: datetime, zone_name: str) -> datetime:
    if zone_name in UTC_NAMES:
        return _utc(instant)
    return in_zone(instant, zone_name)


def _vevent(entry: FeedEntry) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    # DTSTAMP is the last change, not the download time, so unchanged feeds stay byte-identical.
    event.add("dtstamp", _utc(entry.modified))
    event.add("dtstart", _when(entry.start, entry.zone))
    event.add("dtend", _when(entry.end, entry.zone))
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("location", entry.location)
    event.add("categories", [entry.category])
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("sequence", entry.sequence)
    event.add("created", _utc(entry.created))
    event.add("last-modified", _utc(entry.modified))
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    return event


def build_calendar(entries: list[FeedEntry], name: str) -> bytes:
    """The iCalendar document for `entries`, with a VTIMEZONE for every zone they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for entry in sorted(entries, key=lambda e: (e.start, e.uid)):
        calendar.add_component(_vevent(entry))
    if entries:
        first = min(_utc(e.start) for e in entries) - ZONE_MARGIN
        last = max(_utc(e.end) for e in entries) + ZONE_MARGIN
        calendar.add_missing_timezones(first_date=first.date(), last_date=last.date())
    return calendar.to_ical()
