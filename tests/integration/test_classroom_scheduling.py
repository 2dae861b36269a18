"""Scheduling against real FerretDB and Kafka: series across DST, bad input, conflicts,
rescheduling, cancelling, and the events each change publishes."""

from __future__ import annotations

import json

import pytest

from tests.classroom_harness import Harness
from tests.support import TopicReader, header, make_token

LONDON = "Europe/London"
FACULTY_A = [("u-lead", "lead"), ("u-ins", "instructor"), ("u-ta", "ta")]
FACULTY_B = [("u-ins", "instructor"), ("u-other", "lead")]


def auth(sub: str, *roles: str, tz: str | None = None) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['instructor'], None, tz)}"}


LEAD = auth("u-lead", tz=LONDON)
OTHER = auth("u-other")


def session(start: str, **extra) -> dict:
    body = {"kind": "lecture", "title": "Sutures", "start": start, "timezone": LONDON,
            "duration_minutes": 60, "instructors": ["u-lead"]}
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def h():
    with Harness() as harness:
        harness.offering("off-a", LONDON, FACULTY_A)
        harness.offering("off-b", LONDON, FACULTY_B)
        harness.offering("off-c", LONDON, [("u-lead", "lead")])
        harness.enroll("off-a", "u-stu")
        yield harness


@pytest.fixture(scope="module")
def classroom_topic(h):
    reader = TopicReader(h.settings.topic("lms.classroom"))
    yield reader
    reader.close()


def events_for(reader: TopicReader, session_ids: set[str], kind: str, count: int) -> list:
    def matching(messages):
        return [m for m in messages if header(m, "ce_type") == kind
                and json.loads(m.value)["session_id"] in session_ids]
    reader.wait_until(lambda messages: len(matching(messages)) >= count)
    return matching(reader.messages)


def test_weekly_series_keeps_london_wall_clock_across_autumn_change(h, classroom_topic):
    created = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD, json=session(
        "2026-10-12T14:00", duration_minutes=90, repeat={"frequency": "weekly", "count": 4}))
    assert created.status_code == 201, created.json
    sessions = created.json["sessions"]
    assert [s["start"] for s in sessions] == ["2026-10-12T13:00:00Z", "2026-10-19T13:00:00Z",
                                              "2026-10-26T14:00:00Z", "2026-11-02T14:00:00Z"]
    assert {s["zone_start"][11:] for s in sessions} == {"14:00:00+01:00", "14:00:00+00:00"}
    assert len({s["series_id"] for s in sessions}) == 1
    listed = h.client.get("/api/v1/offerings/off-a/sessions?tz=Asia/Shanghai&from=2026-10-01"
                          "&to=2026-11-02", headers=auth("u-stu", "student"))
    assert listed.status_code == 200
    assert [i["local_start"] for i in listed.json["items"]] == [
        "2026-10-12T21:00:00+08:00", "2026-10-19T21:00:00+08:00", "2026-10-26T22:00:00+08:00",
        "2026-11-02T22:00:00+08:00"]
    ids = {s["id"] for s in sessions}
    published = {json.loads(m.value)["session_id"]: m for m in events_for(
        classroom_topic, ids, "lms.classroom.session.scheduled.v1", 4)}
    third = published[sessions[2]["id"]]
    payload = json.loads(third.value)
    assert third.key == b"off-a" and header(third, "ce_source") == "/meridian/classroom"
    assert payload["start"].startswith("2026-10-26T14:00:00") and payload["sequence"] == 0
    assert payload["timezone"] == LONDON and payload["instructors"] == ["u-lead"]


@pytest.mark.parametrize("change,field", [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "europe/london"}, "timezone"),
    ({"start": "2026-03-29T01:30"}, "start"),
    ({"start": "2026-10-25T01:30"}, "start"),
    ({"start": "2026-10-25T01:30", "fold": 2}, "fold"),
    ({"start": "2026-05-04T14:00:00+01:00"}, "start"),
    ({"start": "2026-05-04T14:00Z"}, "start"),
    ({"start": "2026-05-04"}, "start"),
    ({"start": "2026-05-04T14:00:30"}, "start"),
    ({"start": "1900-05-04T14:00"}, "start"),
    ({"start": "9999-12-31T23:00"}, "start"),
    ({"start": 1714831200}, "start"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": -60}, "duration_minutes"),
    ({"duration_minutes": 721}, "duration_minutes"),
    ({"duration_minutes": 10**12}, "duration_minutes"),
    ({"duration_minutes": "60"}, "duration_minutes"),
    ({"duration_minutes": 60.5}, "duration_minutes"),
    ({"repeat": {"frequency": "weekly", "count": 53}}, "repeat"),
    ({"repeat": {"frequency": "weekly", "count": 0}}, "repeat"),
    ({"repeat": {"frequency": "monthly", "count": 3}}, "repeat"),
    ({"repeat": {"frequency": "daily", "count": 5}, "start": "2026-03-27T01:30"}, "start"),
    ({"kind": "party"}, "kind"),
    ({"title": "   "}, "title"),
    ({"instructors": []}, "instructors"),
    ({"instructors": ["u-lead", "u-lead"]}, "instructors"),
    ({"instructors": ["u-stranger"]}, "instructors"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_a_clear_422(h, change, field):
    response = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                             json={**session("2026-05-04T14:00"), **change})
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


def test_gap_and_fold_messages_tell_the_user_what_to_do(h):
    gap = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                        json=session("2026-03-29T01:30"))
    assert "does not exist in Europe/London" in gap.json["errors"]["start"][0]
    fold = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                         json=session("2026-10-25T01:30"))
    assert "fold 0" in fold.json["errors"]["start"][0]
    chosen = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                           json=session("2026-10-25T01:30", fold=1, duration_minutes=20))
    assert chosen.status_code == 201
    assert chosen.json["sessions"][0]["start"] == "2026-10-25T01:30:00Z"


def test_instructor_double_booked_across_offerings_lists_every_conflict(h):
    first = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD, json=session(
        "2026-06-01T10:00", instructors=["u-ins"], repeat={"frequency": "weekly", "count": 3}))
    assert first.status_code == 201
    clash = h.client.post("/api/v1/offerings/off-b/sessions", headers=OTHER, json=session(
        "2026-06-01T10:30", instructors=["u-ins", "u-other"],
        repeat={"frequency": "weekly", "count": 4}))
    assert clash.status_code == 409
    conflicts = clash.json["conflicts"]
    assert [c["occurrence"] for c in conflicts] == [0, 1, 2]
    assert [c["conflicting_start"] for c in conflicts] == [
        s["start"] for s in first.json["sessions"]]
    assert all(c["reasons"] == ["instructor"] and c["instructors"] == ["u-ins"]
               for c in conflicts)
    # u-other does not teach off-a: its sessions show as busy, without ids or titles.
    assert all(c["busy"] is True and c["conflicting_offering_id"] is None
               and c["conflicting_session_id"] is None and c["conflicting_title"] is None
               for c in conflicts)
    assert "off-a" not in clash.text and first.json["sessions"][0]["id"] not in clash.text
    as_faculty_of_both = h.client.post("/api/v1/offerings/off-b/sessions", headers=auth(
        "u-ins"), json=session("2026-06-01T10:30", instructors=["u-ins"]))
    (seen,) = as_faculty_of_both.json["conflicts"]
    assert seen["busy"] is False and seen["conflicting_offering_id"] == "off-a"
    assert seen["conflicting_session_id"] == first.json["sessions"][0]["id"]
    listed = h.client.get("/api/v1/offerings/off-b/sessions?from=2026-06-01&to=2026-06-30",
                          headers=OTHER)
    assert listed.json["total"] == 0, "a refused series stores nothing"


def test_cohort_double_booking_and_back_to_back_sessions(h):
    base = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD,
                         json=session("2026-07-01T09:00", instructors=["u-lead"]))
    assert base.status_code == 201
    clash = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD,
                          json=session("2026-07-01T09:30", instructors=["u-ta"]))
    assert clash.status_code == 409 and clash.json["conflicts"][0]["reasons"] == ["cohort"]
    after = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD,
                          json=session("2026-07-01T10:00", instructors=["u-lead"]))
    assert after.status_code == 201, "a session may start when the previous one ends"


def test_reschedule_this_and_following_keeps_the_rhythm(h, classroom_topic):
    created = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD, json=session(
        "2026-10-13T10:00", repeat={"frequency": "weekly", "count": 3})).json["sessions"]
    moved = h.client.patch(f"/api/v1/sessions/{created[1]['id']}?scope=following",
                           headers=LEAD, json={"start": "2026-10-21T11:00"})
    assert moved.status_code == 200, moved.json
    assert moved.json["affected_session_ids"] == [created[1]["id"], created[2]["id"]]
    after = {s["id"]: s for s in h.client.get(
        "/api/v1/offerings/off-c/sessions?from=2026-10-12&to=2026-10-31",
        headers=LEAD).json["items"]}
    assert after[created[0]["id"]]["start"] == "2026-10-13T09:00:00Z"
    assert after[created[0]["id"]]["sequence"] == 0
    assert after[created[1]["id"]]["zone_start"] == "2026-10-21T11:00:00+01:00"
    assert after[created[2]["id"]]["zone_start"] == "2026-10-28T11:00:00+00:00"
    assert after[created[2]["id"]]["sequence"] == 1
    events = events_for(classroom_topic, {created[1]["id"], created[2]["id"]},
                        "lms.classroom.session.rescheduled.v1", 2)
    assert {json.loads(e.value)["sequence"] for e in events} == {1}


def test_reschedule_into_a_conflict_and_stale_etag(h):
    one = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                        json=session("2026-08-03T09:00")).json["sessions"][0]
    two = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                        json=session("2026-08-03T11:00")).json["sessions"][0]
    clash = h.client.patch(f"/api/v1/sessions/{two['id']}", headers=LEAD,
                           json={"start": "2026-08-03T09:30"})
    assert clash.status_code == 409
    assert clash.json["conflicts"][0]["conflicting_session_id"] == one["id"]
    current = h.client.get(f"/api/v1/sessions/{two['id']}", headers=LEAD)
    etag = current.headers["ETag"]
    assert h.client.get(f"/api/v1/sessions/{two['id']}",
                        headers={**LEAD, "If-None-Match": etag}).status_code == 304
    renamed = h.client.patch(f"/api/v1/sessions/{two['id']}",
                             headers={**LEAD, "If-Match": etag}, json={"title": "Knots"})
    assert renamed.status_code == 200 and renamed.json["sequence"] == 1
    stale = h.client.patch(f"/api/v1/sessions/{two['id']}",
                           headers={**LEAD, "If-Match": etag}, json={"title": "Again"})
    assert stale.status_code == 412


def test_cancel_is_announced_once_and_frees_the_slot(h, classroom_topic):
    made = h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                         json=session("2026-09-07T09:00")).json["sessions"][0]
    cancelled = h.client.delete(f"/api/v1/sessions/{made['id']}", headers=LEAD)
    assert cancelled.status_code == 200
    assert cancelled.json["status"] == "cancelled" and cancelled.json["sequence"] == 1
    again = h.client.delete(f"/api/v1/sessions/{made['id']}", headers=LEAD)
    assert again.status_code == 200 and again.json["affected_session_ids"] == []
    assert h.client.patch(f"/api/v1/sessions/{made['id']}", headers=LEAD,
                          json={"title": "x"}).status_code == 409
    assert h.client.post("/api/v1/offerings/off-c/sessions", headers=LEAD,
                         json=session("2026-09-07T09:00")).status_code == 201
    events = events_for(classroom_topic, {made["id"]}, "lms.classroom.session.cancelled.v1", 1)
    assert len(events) == 1 and json.loads(events[0].value)["status"] == "cancelled"


def test_who_may_read_and_schedule(h):
    made = h.client.post("/api/v1/offerings/off-a/sessions", headers=LEAD,
                         json=session("2026-11-16T09:00")).json["sessions"][0]
    path = "/api/v1/offerings/off-a/sessions"
    student, outsider = auth("u-stu", "student"), auth("u-nobody", "student")
    assert h.client.get(path, headers=student).status_code == 200
    assert h.client.get(f"/api/v1/sessions/{made['id']}", headers=student).status_code == 200
    assert h.client.get(path, headers=outsider).status_code == 403
    assert h.client.get(f"/api/v1/sessions/{made['id']}", headers=outsider).status_code == 403
    assert h.client.get(path, headers=auth("u-admin", "admin")).status_code == 200
    assert h.client.get(path).status_code == 401
    assert h.client.post(path, headers=student,
                         json=session("2026-11-17T09:00")).status_code == 403
    assert h.client.post(path, headers=OTHER, json=session(
        "2026-11-17T09:00", instructors=["u-other"])).status_code == 403
    assert h.client.delete(f"/api/v1/sessions/{made['id']}", headers=student).status_code == 403
    assert h.client.get("/api/v1/offerings/off-zzz/sessions", headers=LEAD).status_code == 404
    assert h.client.get("/api/v1/sessions/ses_nope", headers=LEAD).status_code == 404
    assert h.client.get(f"{path}?tz=Not/AZone", headers=LEAD).status_code == 422
    assert h.client.get(f"{path}?from=yesterday", headers=LEAD).status_code == 422


def test_idempotency_key_replays_the_first_answer(h):
    headers = {**LEAD, "Idempotency-Key": "create-2026-12-07"}
    first = h.client.post("/api/v1/offerings/off-c/sessions", headers=headers,
                          json=session("2026-12-07T09:00"))
    second = h.client.post("/api/v1/offerings/off-c/sessions", headers=headers,
                           json=session("2026-12-07T09:00"))
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json["series_id"] == second.json["series_id"]
