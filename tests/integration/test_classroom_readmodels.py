"""Read models fed only by events: rosters follow enrollments (idempotent, order-tolerant),
course faculty changes reach every offering, a cancelled offering cancels its sessions."""

from __future__ import annotations

import json
import uuid

import pytest
from pymongo.errors import DuplicateKeyError

from meridian_classroom.adapters.documents import (
    ClassroomCourse,
    ClassroomOffering,
    ClassroomRosterEntry,
    LiveSession,
)
from meridian_classroom.adapters.rosters import MongoRosters
from tests.classroom_harness import (
    Harness,
    course_event,
    enrollment_event,
    offering_event,
    wait_until,
)
from tests.support import TopicReader, header, make_token

LONDON = "Europe/London"


def auth(sub: str, *roles: str) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['student'])}"}


@pytest.fixture(scope="module")
def h():
    with Harness() as harness:
        harness.offering("off-r", LONDON, [("u-lead", "lead")])
        yield harness


def catalog_marker(h) -> None:
    """Wait until everything published to the (single-partition) catalog topic so far is in."""
    marker = f"off-marker-{uuid.uuid4().hex[:8]}"
    h.publisher.publish(offering_event(marker, "crs-marker", LONDON, []))
    wait_until(lambda: ClassroomOffering.objects(id=marker).first(), what="catalog marker")


def status_of(h, offering_id: str, user: str) -> int:
    return h.client.get(f"/api/v1/offerings/{offering_id}/sessions",
                        headers=auth(user)).status_code


def can_read(h, offering_id: str, user: str) -> bool:
    status = status_of(h, offering_id, user)
    assert status in (200, 403)
    return status == 200


def test_roster_follows_an_enrollment_through_its_life(h):
    h.enroll("off-r", "u-amy", "waitlisted", 1, enrollment_id="e-amy", kind="waitlisted")
    assert not can_read(h, "off-r", "u-amy")
    h.enroll("off-r", "u-amy", "confirmed", 2, enrollment_id="e-amy", kind="promoted")
    assert can_read(h, "off-r", "u-amy")
    h.enroll("off-r", "u-amy", "withdrawn", 3, enrollment_id="e-amy", kind="withdrawn")
    assert not can_read(h, "off-r", "u-amy")


def test_replays_and_late_older_versions_change_nothing(h):
    confirmed = enrollment_event("confirmed", "e-ben", "off-r", "u-ben", "confirmed", 1)
    h.publisher.publish(confirmed)
    h.enroll("off-r", "u-ben", "withdrawn", 2, enrollment_id="e-ben")
    h.publisher.publish(confirmed, enrollment_event("confirmed", "e-ben", "off-r", "u-ben",
                                                    "confirmed", 1))
    # A marker on the same (single-partition) topic proves the replays above were consumed.
    h.enroll("off-r", "u-marker", "confirmed", 1)
    assert not can_read(h, "off-r", "u-ben")


def test_newer_state_arriving_first_wins(h):
    h.enroll("off-r", "u-cai", "cancelled", 2, enrollment_id="e-cai", kind="cancelled")
    h.publisher.publish(enrollment_event("confirmed", "e-cai", "off-r", "u-cai", "confirmed", 1))
    h.enroll("off-r", "u-marker2", "confirmed", 1)
    assert not can_read(h, "off-r", "u-cai")


def test_a_new_enrollment_after_withdrawing_counts(h):
    h.enroll("off-r", "u-dee", "confirmed", 1, enrollment_id="e-dee-1")
    h.enroll("off-r", "u-dee", "withdrawn", 2, enrollment_id="e-dee-1", kind="withdrawn")
    h.enroll("off-r", "u-dee", "confirmed", 1, enrollment_id="e-dee-2")
    assert can_read(h, "off-r", "u-dee")


def test_course_faculty_changes_apply_to_all_its_offerings(h):
    faculty = [("u-old", "lead")]
    h.publisher.publish(course_event("crs-f", faculty, version=1),
                        offering_event("off-f1", "crs-f", LONDON, faculty),
                        offering_event("off-f2", "crs-f", LONDON, faculty))
    wait_until(lambda: status_of(h, "off-f2", "u-old") == 200, what="offerings of crs-f")
    h.publisher.publish(course_event("crs-f", [("u-new", "lead"), ("u-ta", "ta")], version=2,
                                     kind="updated"))
    wait_until(lambda: ClassroomCourse.objects(id="crs-f", version=2).first(), what="course v2")
    for offering_id in ("off-f1", "off-f2"):
        assert can_read(h, offering_id, "u-ta") and not can_read(h, offering_id, "u-old")
    h.publisher.publish(course_event("crs-f", faculty, version=1, kind="updated"))
    h.publisher.publish(offering_event("off-f1", "crs-f", LONDON, faculty, version=2))
    catalog_marker(h)
    assert ClassroomOffering.objects(id="off-f1").first().version == 2
    assert not can_read(h, "off-f1", "u-old"), "stale course and offering snapshots lose"
    assert can_read(h, "off-f1", "u-new")


def test_an_offering_seen_before_its_course_uses_the_offering_snapshot(h):
    h.publisher.publish(offering_event("off-early", "crs-late", LONDON, [("u-snap", "lead")]))
    wait_until(lambda: status_of(h, "off-early", "u-snap") == 200, what="snapshot faculty")
    h.publisher.publish(course_event("crs-late", [("u-real", "lead")], version=4))
    wait_until(lambda: can_read(h, "off-early", "u-real"), what="course faculty")
    assert not can_read(h, "off-early", "u-snap")


def test_cancelled_offering_cancels_its_sessions_and_says_so(h):
    faculty = [("u-can", "lead")]
    h.offering("off-x", LONDON, faculty, course_id="crs-x")
    lead = auth("u-can", "instructor")
    made = h.client.post("/api/v1/offerings/off-x/sessions", headers=lead, json={
        "kind": "seminar", "title": "Cases", "start": "2027-01-11T10:00", "timezone": LONDON,
        "duration_minutes": 45, "instructors": ["u-can"],
        "repeat": {"frequency": "daily", "count": 3}})
    assert made.status_code == 201
    ids = {s["id"] for s in made.json["sessions"]}
    reader = TopicReader(h.settings.topic("lms.classroom"))
    try:
        h.publisher.publish(offering_event("off-x", "crs-x", LONDON, faculty, version=2,
                                           status="cancelled"))
        wait_until(lambda: LiveSession.objects(offering_id="off-x", status="cancelled").count()
                   == 3, what="sessions cancelled")

        def cancellations(messages):
            return [m for m in messages
                    if header(m, "ce_type") == "lms.classroom.session.cancelled.v1"
                    and json.loads(m.value)["session_id"] in ids]
        reader.wait_until(lambda messages: len(cancellations(messages)) == 3)
        assert all(json.loads(m.value)["sequence"] == 1 for m in cancellations(reader.messages))
    finally:
        reader.close()
    refused = h.client.post("/api/v1/offerings/off-x/sessions", headers=lead, json={
        "kind": "seminar", "title": "Late", "start": "2027-01-20T10:00", "timezone": LONDON,
        "duration_minutes": 45, "instructors": ["u-can"]})
    assert refused.status_code == 409 and refused.json["code"] == "offering_cancelled"


def test_timetable_and_cohort_follow_the_roster(h):
    lead = auth("u-lead", "instructor")
    made = h.client.post("/api/v1/offerings/off-r/sessions", headers=lead, json={
        "kind": "lecture", "title": "Anatomy", "start": "2027-02-01T09:00", "timezone": LONDON,
        "duration_minutes": 60, "instructors": ["u-lead"]})
    assert made.status_code == 201

    def timetable(user):
        return [i["title"] for i in h.client.get(
            "/api/v1/me/timetable?from=2027-02-01&to=2027-02-01", headers=auth(user)).json["items"]]

    def cohort():
        answer = h.client.post("/api/v1/offerings/off-r/slot-suggestions", headers=lead, json={
            "duration_minutes": 60, "from": "2027-02-01", "to": "2027-02-01"})
        return answer.json["participants"]["students"]

    before = cohort()
    h.enroll("off-r", "u-eve", "confirmed", 1, enrollment_id="e-eve")
    assert timetable("u-eve") == ["Anatomy"]
    assert cohort() == before + 1
    h.enroll("off-r", "u-eve", "withdrawn", 2, enrollment_id="e-eve", kind="withdrawn")
    assert timetable("u-eve") == []
    assert cohort() == before


def test_one_roster_document_per_offering_and_student(h):
    h.enroll("off-r", "u-fay", "confirmed", 1)
    rows = ClassroomRosterEntry._get_collection()
    assert rows.count_documents({"offering_id": "off-r", "student_id": "u-fay"}) == 1
    with pytest.raises(DuplicateKeyError):
        rows.insert_one({"_id": "another", "offering_id": "off-r", "student_id": "u-fay",
                         "status": "confirmed", "enrollments": []})


def test_the_cohort_follows_each_student(h):
    h.offering("off-b", LONDON, [("u-lead", "lead")], course_id="crs-b")
    students = [f"u-b{n:02d}" for n in range(40)]
    for student in students:
        h.enroll("off-b", student, "confirmed", 1, institution_id="ins-b")
    rosters = MongoRosters()
    assert sorted(m.student_id for m in rosters.members("off-b")) == students
    h.enroll("off-b", students[7], "withdrawn", 2, kind="withdrawn")
    remaining = rosters.members("off-b")
    assert sorted(m.student_id for m in remaining) == students[:7] + students[8:]
    assert {m.institution_id for m in remaining} == {"ins-b"}
    assert rosters.offerings_of(students[0]) == ["off-b"]
    assert rosters.offerings_of(students[7]) == []
