"""iTIP invitations (RFC 5546) for session mails: the calendar feed's event, as a REQUEST or CANCEL.

UID and SEQUENCE are the ones the classroom's calendar feed gives the same session, so a
calendar client that subscribed to the feed, or accepted an earlier mail, updates that one
event instead of adding a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

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
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", parse_instant(invitation.stamp).astimezone(UTC))
    event.add("dtstart", _local(invitation.start, invitation.zone))
    event.add("dtend", _local(invitation.end, invitation.zone))
    event.add("summary", invitation.summary)
    event.add("description", invitation.description)
    event.add("location", "Online (Meridian)")
    event.add("url", invitation.url)
    event.add("status", "CANCELLED" if invitation.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invitation.organizer}")
    organizer.params["cn"] = vText("Meridian")
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invitation.attendee}")
    attendee.params.update({"cn": vText(invitation.attendee_name or invitation.attendee),
                            "role": vText("REQ-PARTICIPANT"), "rsvp": vText("FALSE")})
    event.add("attendee", attendee)
    calendar.add_component(event)
    start = parse_instant(invitation.start)
    calendar.add_missing_timezones(first_date=(start - ZONE_MARGIN).date(),
                                   last_date=(parse_instant(invitation.end) + ZONE_MARGIN).date())
    return method, calendar.to_ical()
