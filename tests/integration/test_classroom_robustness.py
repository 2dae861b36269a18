"""Odd and hostile input: always a 4xx problem answer, never a 500."""

from __future__ import annotations

import hashlib

import pytest

from tests.classroom_harness import Harness
from tests.support import make_token

LEAD = {"Authorization": f"Bearer {make_token('u-lead', ['instructor'])}"}
GOOD = {"kind": "lecture", "title": "T", "start": "2026-06-01T10:00", "timezone": "UTC",
        "duration_minutes": 60, "instructors": ["u-lead"]}


@pytest.fixture(scope="module")
def h():
    with Harness({"bbb_secret": "s" * 32, "bbb_url": "http://127.0.0.1:9/bigbluebutton/",
                  "bbb_webhook_url": "http://classroom.test/hooks/bbb"}) as harness:
        harness.offering("off-z", "UTC", [("u-lead", "lead")])
        made = harness.client.post("/api/v1/offerings/off-z/sessions", headers=LEAD, json=GOOD)
        harness.session_id = made.json["sessions"][0]["id"]
        yield harness


SESSIONS = "/api/v1/offerings/off-z/sessions"


@pytest.mark.parametrize("body", [
    "not json", "[]", "null", '"text"', "{", '{"kind": "lecture"',
    '{"$where": "1"}', '{"repeat": "weekly"}', '{"instructors": "u-lead"}',
    '{"instructors": [1, 2]}', '{"start": null}', '{"timezone": ""}',
    '{"timezone": "../../etc/passwd"}', '{"timezone": "UTC\\u0000"}', '{"fold": true}',
    '{"duration_minutes": 1e309}', '{"title": "' + "x" * 5000 + '"}',
    '{"repeat": {"frequency": "weekly", "count": 99999999999999999999}}',
    '{"start": "2026-06-01T10:00\\u202e"}', '{"start": "+002026-06-01T10:00"}',
])
def test_create_with_odd_bodies(h, body):
    merged = body if not body.startswith('{"') or not body.endswith("}") else (
        '{' + ", ".join(f'"{k}": {v}' for k, v in (
            ("kind", '"lecture"'), ("title", '"T"'), ("start", '"2026-07-01T10:00"'),
            ("timezone", '"UTC"'), ("duration_minutes", "60"), ("instructors", '["u-lead"]'))
            if f'"{k}"' not in body) + ", " + body[1:])
    answer = h.client.post(SESSIONS, headers={**LEAD, "Content-Type": "application/json"},
                           data=merged)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.data[:300])
    assert answer.mimetype == "application/problem+json"


@pytest.mark.parametrize("method,path,body", [
    ("GET", SESSIONS + "?page=0", None),
    ("GET", SESSIONS + "?per_page=1000", None),
    ("GET", SESSIONS + "?tz=", None),
    ("GET", SESSIONS + "?from=2026-02-30", None),
    ("GET", SESSIONS + "?to=0000-01-01", None),
    ("GET", SESSIONS + "?from=2026-01-01&to=2025-01-01", None),
    ("GET", SESSIONS + "?status=maybe", None),
    ("GET", SESSIONS + "?tz=UTC&tz=Asia/Tokyo", None),
    ("GET", "/api/v1/me/timetable?from=2026-01-01T10:00", None),
    ("GET", "/api/v1/sessions/%F0%9F%98%80", None),
    ("PATCH", "/api/v1/sessions/{id}?scope=all", {"title": "x"}),
    ("PATCH", "/api/v1/sessions/{id}", {}),
    ("PATCH", "/api/v1/sessions/{id}", {"timezone": "Asia/Tokyo"}),
    ("PATCH", "/api/v1/sessions/{id}", {"start": "2026-03-29T01:30", "timezone": "Europe/London"}),
    ("PATCH", "/api/v1/sessions/{id}", {"duration_minutes": 0}),
    ("POST", "/api/v1/offerings/off-z/slot-suggestions", {"duration_minutes": 60}),
    ("POST", "/api/v1/offerings/off-z/slot-suggestions",
     {"duration_minutes": 60, "from": "2100-12-31", "to": "2101-01-02"}),
    ("PUT", "/api/v1/offerings/off-z/meeting-provider",
     {"provider": "external", "url": "https://" + "x" * 3000}),
    ("GET", "/api/v1/calendar/.ics", None),
    ("GET", "/api/v1/calendar/" + "a" * 43 + "%00.ics", None),
])
def test_odd_requests_are_client_errors(h, method, path, body):
    answer = h.client.open(path.replace("{id}", h.session_id), method=method, headers=LEAD,
                           json=body)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.data[:300])


def test_extreme_but_valid_slot_requests_are_answered(h):
    answer = h.client.post("/api/v1/offerings/off-z/slot-suggestions", headers=LEAD, json={
        "duration_minutes": 720, "from": "2026-03-01", "to": "2026-05-31", "step_minutes": 5,
        "earliest_local": "00:00", "latest_local": "24:00", "occurrences": 52, "limit": 50})
    assert answer.status_code == 200
    assert answer.json["candidates"][0]["covered"] == 1


@pytest.mark.parametrize("query,body", [
    ("?checksum=" + "é" * 40, "event=[]"),
    ("?checksum=" + "0" * 41, "event=[]"),
    ("?checksum=&checksum=", "event=[]"),
    ("", "\xff\xfe"),
])
def test_hostile_webhooks_are_refused(h, query, body):
    answer = h.client.post(f"/hooks/bbb{query}", data=body.encode("latin-1"),
                           content_type="application/x-www-form-urlencoded")
    assert answer.status_code in (401, 422)


def test_a_signed_webhook_with_junk_events_is_refused_not_a_crash(h):
    body = "event=" + "%5B%7B%22data%22%3A+5%7D%2C+1%2C+null%5D"
    signature = hashlib.sha1(f"http://classroom.test/hooks/bbb{body}{'s' * 32}".encode())
    answer = h.client.post(f"/hooks/bbb?checksum={signature.hexdigest()}", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 422 and "event" in answer.json["errors"]
