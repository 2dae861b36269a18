"""Calendar feeds: a secret, revocable URL; the .ics parsed back with icalendar, field by field."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from meridian_classroom.adapters.documents import CalendarFeed
from tests.classroom_harness import Harness
from tests.support import make_token

LONDON = "Europe/London"


def auth(sub: str, *roles: str) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['student'])}"}


LEAD, PHD = auth("u-lead", "instructor"), auth("u-phd")


@pytest.fixture(scope="module")
def h():
    with Harness({"public_url": "https://meridian.example.org"}) as harness:
        # u-phd studies in one offering and assists in another, so both kinds of seat count.
        harness.offering("off-s", LONDON, [("u-lead", "lead")], code="SURG101")
        harness.offering("off-t", "Asia/Shanghai", [("u-lead", "lead"), ("u-phd", "ta")],
                         code="ANAT200")
        harness.enroll("off-s", "u-phd")
        yield harness


def create(h, offering_id: str, body: dict) -> list[dict]:
    response = h.client.post(f"/api/v1/offerings/{offering_id}/sessions", headers=LEAD,
                             json={"kind": "lecture", "title": "Sutures", "duration_minutes": 60,
                                   "instructors": ["u-lead"], **body})
    assert response.status_code == 201, response.json
    return response.json["sessions"]


def feed_path(h, headers=PHD) -> str:
    response = h.client.post("/api/v1/me/calendar-feed", headers=headers)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    url = urlsplit(response.json["url"])
    assert (url.scheme, url.netloc) == ("https", "meridian.example.org")
    return url.path


def fetch(h, path: str) -> Calendar:
    response = h.client.get(path)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_lists_sessions_of_both_roles_with_real_time_zones(h):
    london = create(h, "off-s", {"start": "2026-12-21T09:00", "timezone": LONDON,
                                 "repeat": {"frequency": "weekly", "count": 2}})
    shanghai = create(h, "off-t", {"kind": "workshop", "title": "Dissection",
                                   "start": "2026-12-22T20:00", "timezone": "Asia/Shanghai"})
    utc = create(h, "off-s", {"kind": "office_hours", "title": "Questions",
                              "start": "2026-12-23T15:00", "timezone": "UTC"})
    calendar = fetch(h, feed_path(h))
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    found = events(calendar)
    assert set(found) >= {f"{s['id']}@meridian" for s in london + shanghai + utc}
    first = found[f"{london[0]['id']}@meridian"]
    assert first["DTSTART"].params["TZID"] == LONDON
    assert first.decoded("DTSTART").isoformat() == "2026-12-21T09:00:00+00:00"
    assert first.decoded("DTEND").isoformat() == "2026-12-21T10:00:00+00:00"
    assert str(first["SUMMARY"]) == "SURG101 Lecture: Sutures"
    assert "Instructors: u-lead" in str(first["DESCRIPTION"])
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert str(first["CATEGORIES"].cats[0]) == "Lecture"
    workshop = found[f"{shanghai[0]['id']}@meridian"]
    assert workshop.decoded("DTSTART").isoformat() == "2026-12-22T20:00:00+08:00"
    assert str(workshop["SUMMARY"]) == "ANAT200 Workshop: Dissection"
    office = found[f"{utc[0]['id']}@meridian"]
    assert office["DTSTART"].to_ical() == b"20261223T150000Z"
    zones = {str(z["TZID"]): z for z in calendar.walk("VTIMEZONE")}
    assert set(zones) == {LONDON, "Asia/Shanghai"}
    vtz = zones[LONDON].to_tz(lookup_tzid=False)
    assert first.decoded("DTSTART").replace(tzinfo=vtz).utcoffset().total_seconds() == 0


def test_changes_bump_sequence_and_cancellations_stay_listed(h):
    [made] = create(h, "off-s", {"start": "2027-01-04T09:00", "timezone": LONDON})
    path = feed_path(h)
    uid = f"{made['id']}@meridian"
    assert int(events(fetch(h, path))[uid]["SEQUENCE"]) == 0
    moved = h.client.patch(f"/api/v1/sessions/{made['id']}", headers=LEAD,
                           json={"start": "2027-01-04T10:30"})
    assert moved.status_code == 200
    after_move = events(fetch(h, path))[uid]
    assert int(after_move["SEQUENCE"]) == 1
    assert after_move.decoded("DTSTART").isoformat() == "2027-01-04T10:30:00+00:00"
    assert h.client.delete(f"/api/v1/sessions/{made['id']}", headers=LEAD).status_code == 200
    cancelled = events(fetch(h, path))[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2


def test_conditional_get_answers_304_while_nothing_changed(h):
    path = feed_path(h)
    first = h.client.get(path)
    again = h.client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_only_a_hash_is_stored_and_urls_can_be_rotated_and_revoked(h):
    old = feed_path(h)
    new = feed_path(h)
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed._get_collection().find_one({"_id": "u-phd"})
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(stored)
    assert h.client.get(old).status_code == 404, "issuing a new URL retires the old one"
    assert h.client.get(new).status_code == 200
    assert h.client.get("/api/v1/me/calendar-feed", headers=PHD).json["active"] is True
    assert h.client.delete("/api/v1/me/calendar-feed", headers=PHD).status_code == 204
    assert h.client.get(new).status_code == 404
    assert h.client.get("/api/v1/me/calendar-feed", headers=PHD).json == {
        "active": False, "created_at": None}


@pytest.mark.parametrize("token", ["short", "x" * 200, "a" * 40 + "%2F..", "a" * 43])
def test_unknown_or_malformed_tokens_are_404(h, token):
    assert h.client.get(f"/api/v1/calendar/{token}.ics").status_code == 404


def test_a_user_without_offerings_gets_an_empty_but_valid_calendar(h):
    calendar = fetch(h, feed_path(h, auth("u-lonely")))
    assert calendar.walk("VEVENT") == []
