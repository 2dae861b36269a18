"""Joining live sessions: who, when, through which provider, and the attendance it leaves."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest

from tests.classroom_harness import Harness
from tests.support import TopicReader, header, make_token

BBB_SECRET = "bbb-shared-secret-for-the-classroom-tests"
JITSI_SECRET = "jitsi-app-secret-for-the-classroom-tests"
CREATE_TIME = "1767225600123"
HOOK_URL = "http://classroom.test/hooks/bbb"


class FakeBbb(BaseHTTPRequestHandler):
    """Answers `create` like a BigBlueButton server, refusing wrong checksums."""

    calls: list[dict] = []

    def do_GET(self):
        path, _, raw = self.path.partition("?")
        query, _, given = raw.rpartition("&checksum=")
        call = path.rsplit("/", 1)[-1]
        expected = hashlib.sha1(f"{call}{query}{BBB_SECRET}".encode()).hexdigest()
        FakeBbb.calls.append({"call": call, "params": dict(parse_qsl(query)),
                              "valid": given == expected})
        body = (f"<response><returncode>SUCCESS</returncode><createTime>{CREATE_TIME}"
                "</createTime></response>") if given == expected else (
            "<response><returncode>FAILED</returncode><messageKey>checksumError"
            "</messageKey><message>bad checksum</message></response>")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *_args):
        return


@pytest.fixture(scope="module")
def bbb_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBbb)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bigbluebutton/"
    server.shutdown()
    server.server_close()


def auth(sub: str, *roles: str) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['student'])}"}


LEAD, TA, STUDENT = auth("u-lead", "instructor"), auth("u-ta", "student"), auth("u-stu")
USERS = {"u-lead": LEAD, "u-ta": TA, "u-stu": STUDENT}


def headers_user(headers: dict) -> str:
    return next(user for user, known in USERS.items() if known is headers)


def local_start(offset: timedelta) -> str:
    moment = datetime.now(UTC) + offset + timedelta(minutes=1)
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def h(bbb_server):
    overrides = {"bbb_url": bbb_server, "bbb_secret": BBB_SECRET, "bbb_webhook_url": HOOK_URL,
                 "jitsi_domain": "meet.example.org", "jitsi_app_id": "meridian",
                 "jitsi_secret": JITSI_SECRET, "meeting_provider": "jitsi"}
    with Harness(overrides) as harness:
        for offering_id in TEACHER:
            harness.offering(offering_id, "UTC", [("u-lead", "lead"), ("u-ta", "ta"),
                                                  ("u-tb", "ta"), ("u-tc", "instructor")])
            harness.enroll(offering_id, "u-stu")
        harness.enroll("off-j", "u-wait", "waitlisted", kind="waitlisted")
        yield harness


# Each offering's sessions are taught by someone else, so their times never clash.
TEACHER = {"off-j": "u-lead", "off-k": "u-ta", "off-w": "u-tb", "off-b": "u-tc"}


def schedule(h, offering_id: str, offset: timedelta, minutes: int) -> dict:
    response = h.client.post(f"/api/v1/offerings/{offering_id}/sessions", headers=LEAD, json={
        "kind": "seminar", "title": "Live", "start": local_start(offset), "timezone": "UTC",
        "duration_minutes": minutes, "instructors": [TEACHER[offering_id]]})
    assert response.status_code == 201, response.json
    return response.json["sessions"][0]


@pytest.fixture(scope="module")
def live(h):
    return schedule(h, "off-j", timedelta(minutes=4), 20)


def join(h, session_id: str, headers: dict, **extra):
    return h.client.post(f"/api/v1/sessions/{session_id}/join", headers={**headers, **extra})


def test_who_may_join_and_with_which_role(h, live):
    rooms = set()
    for headers, role in ((LEAD, "lead"), (TA, "ta"), (STUDENT, "student")):
        answer = join(h, live["id"], headers)
        assert answer.status_code == 200, answer.json
        assert answer.json["role"] == role and answer.json["provider"] == "jitsi"
        assert answer.json["expires_at"] == live["end"] and answer.json["public_room"] is False
        url = urlsplit(answer.json["join_url"])
        assert url.netloc == "meet.example.org" and live["id"] not in answer.json["join_url"]
        claims = jwt.decode(dict(parse_qsl(url.query))["jwt"], JITSI_SECRET,
                            algorithms=["HS256"], audience="jitsi")
        assert claims["room"] == url.path[1:] and claims["iss"] == "meridian"
        assert claims["context"]["user"] == {"id": headers_user(headers), "name":
                                             headers_user(headers), "moderator": role != "student"}
        assert claims["exp"] == int(datetime.fromisoformat(live["end"]).timestamp())
        rooms.add(url.path)
    assert len(rooms) == 1, "one room per session, whoever joins"
    other = schedule(h, "off-j", timedelta(minutes=300), 20)
    assert other["id"] not in rooms and "room" not in other and "room" not in live
    for headers in (auth("u-wait"), auth("u-outsider"), auth("u-admin", "admin")):
        assert join(h, live["id"], headers).status_code == 403
    assert h.client.post(f"/api/v1/sessions/{live['id']}/join").status_code == 401
    assert h.client.post(f"/api/v1/sessions/{live['id']}/join", headers=LEAD,
                         json={"x": 1}).status_code == 422


def test_the_join_window(h):
    early = schedule(h, "off-j", timedelta(minutes=40), 20)
    ended = schedule(h, "off-j", timedelta(hours=-3), 30)
    dropped = schedule(h, "off-j", timedelta(minutes=70), 20)
    assert h.client.delete(f"/api/v1/sessions/{dropped['id']}", headers=LEAD).status_code == 200
    refused = join(h, early["id"], STUDENT)
    assert refused.status_code == 409 and refused.json["code"] == "too_early"
    opens = datetime.fromisoformat(early["start"].replace("Z", "+00:00")) - timedelta(minutes=15)
    assert refused.json["opens_at"] == opens.isoformat().replace("+00:00", "Z")
    assert join(h, ended["id"], STUDENT).json["code"] == "ended"
    assert join(h, dropped["id"], LEAD).json["code"] == "cancelled"
    assert join(h, "ses_missing", LEAD).status_code == 404


def test_each_join_is_recorded_and_published(h, live):
    reader = TopicReader(h.settings.topic("lms.classroom"))
    path = f"/api/v1/sessions/{live['id']}/attendance"

    def joins_of_student():
        people = {p["user_id"]: p for p in h.client.get(path, headers=LEAD).json["items"]}
        return people.get("u-stu", {}).get("joins", 0)
    try:
        before = joins_of_student()
        key = {"Idempotency-Key": f"join-{live['id']}"}
        first, replay = join(h, live["id"], STUDENT, **key), join(h, live["id"], STUDENT, **key)
        assert first.json["attendance_id"] == replay.json["attendance_id"]
        assert join(h, live["id"], STUDENT).status_code == 200
        assert joins_of_student() == before + 2, "the replayed join records nothing"
        people = {p["user_id"]: p for p in h.client.get(path, headers=LEAD).json["items"]}
        assert people["u-stu"]["role"] == "student"
        assert people["u-stu"]["duration_seconds"] is None
        assert people["u-lead"]["role"] == "lead"
        assert h.client.get(f"/api/v1/sessions/{live['id']}/attendance",
                            headers=STUDENT).status_code == 403

        def recorded(messages):
            return [json.loads(m.value) for m in messages
                    if header(m, "ce_type") == "lms.classroom.attendance.recorded.v1"
                    and json.loads(m.value)["session_id"] == live["id"]
                    and json.loads(m.value)["user_id"] == "u-stu"]
        reader.wait_until(lambda messages: len(recorded(messages)) >= before + 2)
        assert all(e["left_at"] is None and e["role"] == "student"
                   for e in recorded(reader.messages))
    finally:
        reader.close()


def test_external_meeting_url_chosen_by_faculty(h):
    session = schedule(h, "off-k", timedelta(minutes=2), 15)
    path = "/api/v1/offerings/off-k/meeting-provider"
    assert h.client.get(path, headers=LEAD).json == {
        "offering_id": "off-k", "provider": "jitsi", "url": None, "public_room": False,
        "configured": False, "updated_at": None}
    for body in ({"provider": "external"}, {"provider": "external", "url": "http://x.cn/m"},
                 {"provider": "jitsi", "url": "https://x.cn/m"}, {"provider": "zoom"},
                 {"provider": "external", "url": "https://x.cn/m", "pin": "1"}):
        assert h.client.put(path, headers=LEAD, json=body).status_code == 422, body
    url = "https://meeting.tencent.example/j/123456"
    assert h.client.put(path, headers=STUDENT,
                        json={"provider": "external", "url": url}).status_code == 403
    chosen = h.client.put(path, headers=LEAD, json={"provider": "external", "url": url})
    assert chosen.status_code == 200 and chosen.json["configured"] is True
    answer = join(h, session["id"], STUDENT)
    assert answer.json == {**answer.json, "join_url": url, "provider": "external"}


def test_bigbluebutton_create_then_signed_join(h):
    session = schedule(h, "off-b", timedelta(minutes=2), 10)
    path = "/api/v1/offerings/off-b/meeting-provider"
    assert h.client.put(path, headers=LEAD, json={"provider": "bbb"}).status_code == 200
    FakeBbb.calls.clear()
    for headers, role in ((LEAD, "MODERATOR"), (STUDENT, "VIEWER")):
        answer = join(h, session["id"], headers)
        assert answer.status_code == 200 and answer.json["provider"] == "bbb"
        url = urlsplit(answer.json["join_url"])
        query, _, given = url.query.rpartition("&checksum=")
        assert given == hashlib.sha1(f"join{query}{BBB_SECRET}".encode()).hexdigest()
        params = dict(parse_qsl(query))
        assert params["createTime"] == CREATE_TIME and params["role"] == role
        assert params["meetingID"] == session["id"]
    assert [c["call"] for c in FakeBbb.calls] == ["create", "create"]
    assert all(c["valid"] and c["params"]["meetingID"] == session["id"] for c in FakeBbb.calls)


def test_unreachable_bigbluebutton_is_a_503_and_records_nothing(h):
    assert h.client.put("/api/v1/offerings/off-b/meeting-provider", headers=LEAD,
                        json={"provider": "bbb"}).status_code == 200
    session = schedule(h, "off-b", timedelta(minutes=13), 5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    provider = h.app.extensions["meridian.classroom"].provider
    config = provider.config
    provider.config = dataclasses.replace(
        config, bbb_url=f"http://127.0.0.1:{closed_port}/bigbluebutton/", bbb_timeout_seconds=1)
    try:
        answer = join(h, session["id"], LEAD)
    finally:
        provider.config = config
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert answer.json["code"] == "meeting_provider_unavailable"
    attendance = h.client.get(f"/api/v1/sessions/{session['id']}/attendance", headers=LEAD)
    assert attendance.json["total"] == 0


def hook(h, events: list, secret: str = BBB_SECRET, tamper: bool = False,
         sent: datetime | None = None):
    body = urlencode({"domain": "bbb.example.org", "event": json.dumps(events),
                      "timestamp": str(int((sent or datetime.now(UTC)).timestamp() * 1000))})
    checksum = hashlib.sha1(f"{HOOK_URL}{body}{secret}".encode()).hexdigest()
    return h.client.post(f"/hooks/bbb?checksum={checksum}",
                         data=body + ("&x=1" if tamper else ""),
                         content_type="application/x-www-form-urlencoded")


def bbb_event(kind: str, session_id: str, user: str | None, at: datetime) -> dict:
    attributes = {"meeting": {"external-meeting-id": session_id}}
    if user:
        attributes["user"] = {"external-user-id": user}
    return {"data": {"type": "event", "id": kind, "attributes": attributes,
                     "event": {"ts": int(at.timestamp() * 1000)}}}


def test_bigbluebutton_webhook_records_departures_only_when_signed(h):
    session = schedule(h, "off-w", timedelta(minutes=-5), 30)
    assert join(h, session["id"], STUDENT).status_code == 200
    assert join(h, session["id"], LEAD).status_code == 200
    left_at = datetime.now(UTC) + timedelta(minutes=12)
    user_left = [bbb_event("user-left", session["id"], "u-stu", left_at)]
    assert hook(h, user_left, secret="wrong").status_code == 401
    assert hook(h, user_left, tamper=True).status_code == 401
    unsigned = h.client.post("/hooks/bbb", data="event=[]",
                             content_type="application/x-www-form-urlencoded")
    assert unsigned.status_code == 401
    page = h.client.get(f"/api/v1/sessions/{session['id']}/attendance", headers=LEAD).json
    assert all(p["duration_seconds"] is None for p in page["items"])
    stale = hook(h, user_left, sent=datetime.now(UTC) - timedelta(hours=1))
    assert stale.status_code == 401 and stale.json["code"] == "stale_webhook"
    sent = datetime.now(UTC)
    accepted = hook(h, user_left, sent=sent)
    assert accepted.status_code == 200 and accepted.json["departures_recorded"] == 1
    replayed = hook(h, user_left, sent=sent)
    assert replayed.status_code == 200 and replayed.json["replayed"] is True
    ended = hook(h, [bbb_event("meeting-ended", session["id"], None,
                               left_at + timedelta(minutes=5))])
    assert ended.json["departures_recorded"] == 1
    people = {p["user_id"]: p for p in h.client.get(
        f"/api/v1/sessions/{session['id']}/attendance?tz=Asia/Shanghai",
        headers=LEAD).json["items"]}
    assert 11 * 60 < people["u-stu"]["duration_seconds"] <= 13 * 60
    assert people["u-stu"]["last_left_local"].endswith("+08:00")
    assert 16 * 60 < people["u-lead"]["duration_seconds"] <= 18 * 60
    own = h.client.get("/api/v1/me/attendance?tz=Asia/Shanghai&per_page=100",
                       headers=STUDENT).json
    (visit,) = [v for v in own["items"] if v["session_id"] == session["id"]]
    assert 11 <= visit["duration_minutes"] <= 13 and visit["left_at"] is not None
    assert visit["local_left_at"].endswith("+08:00") and visit["session_title"] == "Live"
    joined = [v["joined_at"] for v in own["items"]]
    assert joined == sorted(joined, reverse=True), "newest first"
    assert own["total"] == len(own["items"])
    for event in ("nope", json.dumps([{"data": {"id": "user-left", "attributes": [1]}}]),
                  "[" * 5000):
        body = urlencode({"event": event})
        signature = hashlib.sha1(f"{HOOK_URL}{body}{BBB_SECRET}".encode()).hexdigest()
        bad = h.client.post(f"/hooks/bbb?checksum={signature}", data=body,
                            content_type="application/x-www-form-urlencoded")
        assert bad.status_code == 422, event[:40]
