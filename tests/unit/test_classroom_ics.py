"""iCalendar documents parse back field by field, with real time zones."""

from datetime import UTC, datetime

from icalendar import Calendar

from meridian_classroom.domain.ics import FeedEntry, build_calendar


def entry(uid, start, zone, cancelled=False, sequence=0, summary="SURG101 Lecture: Sutures"):
    return FeedEntry(uid=uid, start=start, end=start.replace(hour=start.hour + 1), zone=zone,
                     summary=summary, description="Line one\nLine two, with; punctuation",
                     location="Online (Meridian)", category="Lecture", cancelled=cancelled,
                     sequence=sequence, created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                     modified=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC))


def test_events_round_trip_with_tzid_vtimezone_sequence_and_status():
    document = build_calendar([
        entry("a@meridian", datetime(2026, 3, 27, 9, tzinfo=UTC), "Europe/London"),
        entry("b@meridian", datetime(2026, 3, 30, 8, tzinfo=UTC), "Europe/London",
              cancelled=True, sequence=3),
        entry("c@meridian", datetime(2026, 4, 2, 7, tzinfo=UTC), "UTC"),
    ], "Meridian timetable")
    assert b"\r\n" in document and document.endswith(b"END:VCALENDAR\r\n")
    calendar = Calendar.from_ical(document)
    assert str(calendar["VERSION"]) == "2.0" and "Meridian" in str(calendar["PRODID"])
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    first, cancelled, utc_one = events["a@meridian"], events["b@meridian"], events["c@meridian"]
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert first.decoded("DTSTART").isoformat() == "2026-03-27T09:00:00+00:00"
    assert cancelled.decoded("DTSTART").isoformat() == "2026-03-30T09:00:00+01:00"
    assert cancelled.decoded("DTEND").isoformat() == "2026-03-30T10:00:00+01:00"
    assert str(first["STATUS"]) == "CONFIRMED" and str(cancelled["STATUS"]) == "CANCELLED"
    assert int(first["SEQUENCE"]) == 0 and int(cancelled["SEQUENCE"]) == 3
    assert str(first["SUMMARY"]) == "SURG101 Lecture: Sutures"
    assert str(first["DESCRIPTION"]) == "Line one\nLine two, with; punctuation"
    assert first.decoded("DTSTAMP") == datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert first.decoded("LAST-MODIFIED") == datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert first.decoded("CREATED") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert "TZID" not in utc_one["DTSTART"].params
    assert utc_one.decoded("DTSTART") == datetime(2026, 4, 2, 7, tzinfo=UTC)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    tz = zone.to_tz(lookup_tzid=False)
    assert tz.utcoffset(datetime(2026, 3, 27, 9)).total_seconds() == 0
    assert tz.utcoffset(datetime(2026, 3, 30, 9)).total_seconds() == 3600


def test_an_empty_calendar_is_still_valid():
    calendar = Calendar.from_ical(build_calendar([], "Empty"))
    assert calendar.walk("VEVENT") == [] and str(calendar["X-WR-CALNAME"]) == "Empty"
