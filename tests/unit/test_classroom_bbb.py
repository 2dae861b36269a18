"""BigBlueButton checksums, signed URLs and webhook verification (pure, no server)."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from meridian_classroom.application import hooks
from meridian_classroom.domain.bbb import (
    BbbError,
    checksum,
    create_url,
    hook_time,
    join_url,
    parse_create_response,
    parse_webhook_events,
    verify_webhook,
)
from tests.unit.classroom_fakes import FakeClock, classroom

SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"


def test_checksum_matches_the_documented_example():
    # docs.bigbluebutton.org, "API security model".
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
    assert checksum("create", query, SECRET) == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"


def _split(url):
    parts = urlsplit(url)
    query, _, signature = parts.query.rpartition("&checksum=")
    return parts, query, signature


def test_create_url_signs_exactly_the_query_it_sends():
    url = create_url("https://bbb.example.org/bigbluebutton/", SECRET, "ses_1", "Sutures & knots")
    parts, query, signature = _split(url)
    assert parts.path == "/bigbluebutton/api/create"
    assert dict(parse_qsl(query)) == {"name": "Sutures & knots", "meetingID": "ses_1",
                                      "record": "false"}
    assert signature == hashlib.sha1(f"create{query}{SECRET}".encode()).hexdigest()


def test_join_url_carries_role_create_time_and_user():
    url = join_url("https://bbb.example.org/bigbluebutton/api", SECRET, "ses_1", "Dr Ana",
                   "u-ana", True, "1700000000123")
    parts, query, signature = _split(url)
    assert parts.path == "/bigbluebutton/api/join"
    params = dict(parse_qsl(query))
    assert params == {"fullName": "Dr Ana", "meetingID": "ses_1", "role": "MODERATOR",
                      "createTime": "1700000000123", "userID": "u-ana", "redirect": "true"}
    assert signature == checksum("join", query, SECRET)
    viewer = join_url("https://bbb.example.org/bigbluebutton", SECRET, "ses_1", "Li", "u-li",
                      False, "1")
    assert "role=VIEWER" in viewer


def test_create_answers_are_read_or_refused():
    ok = ("<response><returncode>SUCCESS</returncode><meetingID>ses_1</meetingID>"
          "<createTime>1700000000123</createTime></response>")
    assert parse_create_response(ok) == "1700000000123"
    failed = ("<response><returncode>FAILED</returncode><messageKey>checksumError</messageKey>"
              "<message>bad</message></response>")
    with pytest.raises(BbbError, match="checksumError"):
        parse_create_response(failed)
    with pytest.raises(BbbError):
        parse_create_response("<!DOCTYPE x [<!ENTITY a 'b'>]><response/>")
    with pytest.raises(BbbError):
        parse_create_response("not xml")


def _hook_body(events):
    return urlencode({"domain": "bbb.example.org", "event": json.dumps(events),
                      "timestamp": "1700000000000"})


def test_webhook_checksum_over_callback_url_body_and_secret():
    callback = "https://classroom.example.org/hooks/bbb"
    body = _hook_body([])
    good = hashlib.sha1(f"{callback}{body}{SECRET}".encode()).hexdigest()
    assert verify_webhook(callback, body, good, SECRET)
    strong = hashlib.sha256(f"{callback}{body}{SECRET}".encode()).hexdigest()
    assert verify_webhook(callback, body, strong, SECRET)
    assert not verify_webhook(callback, body + "x", good, SECRET)
    assert not verify_webhook(callback + "?a=1", body, good, SECRET)
    assert not verify_webhook(callback, body, good, "other-secret")
    assert not verify_webhook(callback, body, None, SECRET)
    assert not verify_webhook(callback, body, "abc", SECRET)
    assert not verify_webhook(callback, body, "é" * 40, SECRET)


def test_webhook_events_are_reduced_to_attendance_facts():
    events = [
        {"data": {"type": "event", "id": "user-left", "attributes": {
            "meeting": {"external-meeting-id": "ses_1"},
            "user": {"external-user-id": "u-li"}}, "event": {"ts": 1700000000500}}},
        {"data": {"id": "meeting-ended", "attributes": {
            "meeting": {"external-meeting-id": "ses_1"}}, "event": {"ts": 1700000100000}}},
        {"data": {"id": "user-joined", "attributes": []}},
    ]
    left, ended = parse_webhook_events(json.dumps(events))
    assert (left.kind, left.meeting_id, left.user_id) == ("user-left", "ses_1", "u-li")
    assert left.at == datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)
    assert (ended.kind, ended.user_id) == ("meeting-ended", None)
    with pytest.raises(ValueError):
        parse_webhook_events('{"not": "a list"}')


@pytest.mark.parametrize("junk", [
    "garbage", {"data": {"id": "user-left", "attributes": {}}},
    {"data": {"id": "user-left", "attributes": ["meeting"], "event": {"ts": 1}}},
    {"data": {"id": "user-left", "attributes": {"meeting": "ses_1"}, "event": {"ts": 1}}},
    {"data": {"id": "user-left", "attributes": {
        "meeting": {"external-meeting-id": "ses_1"}, "user": {"external-user-id": {"$ne": 0}}},
        "event": {"ts": 1700000000500}}},
    {"data": {"id": "meeting-ended", "attributes": {"meeting": {"external-meeting-id": "s"}},
              "event": {"ts": 10 ** 30}}},
    {"data": {"id": "meeting-ended", "attributes": {"meeting": {"external-meeting-id": "s"}},
              "event": {"ts": True}}},
])
def test_a_malformed_departure_is_refused_not_a_crash(junk):
    with pytest.raises(ValueError):
        parse_webhook_events(json.dumps([junk]))


def test_a_signed_delivery_is_acted_on_once_and_only_while_fresh():
    clock = FakeClock()
    app = classroom(clock)
    now = clock.now()
    assert hook_time("1700000000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert hook_time(None) is None and hook_time("12a") is None
    assert hooks.admit(app, "ABC", now) == hooks.FRESH
    assert hooks.admit(app, "abc", now) == hooks.REPLAYED, "the same checksum in any case"
    assert hooks.admit(app, "def", now - timedelta(minutes=11)) == hooks.STALE
    assert hooks.admit(app, "def", None) == hooks.STALE
    clock.at = now + timedelta(hours=1)
    assert hooks.admit(app, "ghi", clock.now()) == hooks.FRESH
    assert "abc" not in app.receipts.seen, "old receipts are forgotten"
