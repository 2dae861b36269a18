"""iTIP invitations (RFC 5546) for session mails: the calendar feed's event, as a REQUEST or CANCEL.

UID and SEQUENCE are the ones the classroom's calendar feed gives the same session, so a
calendar client that subscribed to the feed, or accepted an earlier mail, updates that one
event instead of adding a second.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .timefmt import UTC_NAMES, parse_instant, zone_of

PRODID = "-//Meridian//Notifications 1.0//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"
ZONE_MARGIN = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    """One session as an attendee's calendar should hold it."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    zone: str
    summary: str
    description: str
    url: str
    organizer: str
    attendee: str
    attendee_name: str
    cancelled: bool
    stamp: datetime


def _local(instant: datetime, zone: str) -> datetime:
    if zone in UTC_NAMES:
        return parse_instant(instant)
    return parse_instant(instant).astimezone(zone_of(zone))


def invitation_ics(invitation: Invitation) -> tuple[str, bytes]:
    """The iTIP method and the text/calendar document for one attendee."""
    method = CANCEL if invitation.cancelled else REQUEST
    shared = _shared_ics(replace(invitation, description="", attendee="", attendee_name=""))
    personal = Event()
    personal.add("description", invitation.description)
    attendee = vCalAddress(f"mailto:{invitation.attendee}")
    attendee.params.update({"cn": vText(invitation.attendee_name or invitation.attendee),
                            "role": vText("REQ-PARTICIPANT"), "rsvp": vText("FALSE")})
    personal.add("attendee", attendee)
    # The attendee's own lines, folded by icalendar, between BEGIN:VEVENT and END:VEVENT.
    lines = personal.to_ical().split(b"\r\n", 1)[1].rsplit(b"END:VEVENT", 1)[0]
    head, tail = shared.rsplit(b"END:VEVENT", 1)
    return method, head + lines + b"END:VEVENT" + tail


# A fan-out's invitations differ only in the attendee and the description (the reader's own
# mail text): the rest is built once per session state (icalendar spent 6 ms on each).
@lru_cache(maxsize=64)
def _shared_ics(invitation: Invitation) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", CANCEL if invitation.cancelled else REQUEST)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", parse_instant(invitation.stamp).astimezone(UTC))
    event.add("dtstart", _local(invitation.start, invitation.zone))
    event.add("dtend", _local(invitation.end, invitation.zone))
    event.add("summary", invitation.summary)
    event.add("location", "Online (Meridian)")
    event.add("url", invitation.url)
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invitation.organizer}")
    organizer.params["cn"] = vText("Meridian")
    event.add("organizer", organizer)
    if invitation.zone not in UTC_NAMES:
        calendar.add_component(_vtimezone(invitation.zone,
                                          (parse_instant(invitation.start) - ZONE_MARGIN).date(),
                                          (parse_instant(invitation.end) + ZONE_MARGIN).date()))
    calendar.add_component(event)
    return calendar.to_ical()


# Working out a zone's transitions is most of an invitation's cost; a fan-out repeats it for
# every reader of the same session, so it is done once per zone and range.
@lru_cache(maxsize=256)
def _vtimezone(zone: str, first: date, last: date) -> Timezone:
    return Timezone.from_tzinfo(zone_of(zone), first_date=first, last_date=last)
