"""Listings, timetables and feeds read cached copies (FerretDB scans for anything but `_id`):
every write, by the API or the worker, shows in the very next read, even right after a read
that filled the cache; a copy is only served while the offering's or user's stamp is unchanged."""

from __future__ import annotations

import pytest

from meridian_classroom import sessioncache
from meridian_classroom.events.handlers import record_course
from meridian_classroom.models import FacultyStamp, LiveSession
from tests.classroom_harness import Harness, course_event, offering_event, wait_until
from tests.support import make_token

LONDON = "Europe/London"


def auth(sub: str, *roles: str) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['student'])}"}


LEAD = auth("u-lead", "instructor")


@pytest.fixture(scope="module")
def h():
    with Harness() as harness:
        harness.offering("off-c", LONDON, [("u-lead", "lead")])
        harness.enroll("off-c", "u-stu")
        yield harness


def create(h, offering_id: str, start: str, count: int = 1, lead: str = "u-lead",
           title: str = "Sutures") -> list[dict]:
    made = h.client.post(f"/api/v1/offerings/{offering_id}/sessions",
                         headers=auth(lead, "instructor"), json={
                             "kind": "lecture", "title": title, "start": start,
                             "timezone": LONDON, "duration_minutes": 60, "instructors": [lead],
                             "repeat": {"frequency": "weekly", "count": count}})
    assert made.status_code == 201, made.json
    return made.json["sessions"]


def listing(h, offering_id: str = "off-c", headers: dict = LEAD) -> dict[str, dict]:
    answer = h.client.get(f"/api/v1/offerings/{offering_id}/sessions?per_page=100",
                          headers=headers)
    assert answer.status_code == 200, answer.json
    return {s["id"]: s for s in answer.json["items"]}


def timetable(h, user: str) -> dict[str, dict]:
    answer = h.client.get("/api/v1/me/timetable?from=2027-01-01&per_page=100",
                          headers=auth(user))
    assert answer.status_code == 200, answer.json
    return {s["id"]: s for s in answer.json["items"]}


def test_every_api_write_shows_in_the_next_read_after_a_cached_one(h):
    series = create(h, "off-c", "2027-02-01T09:00", count=3)
    ids = [s["id"] for s in series]
    for read in (listing(h), timetable(h, "u-stu")):
        assert all(read[i]["status"] == "scheduled" for i in ids)

    moved = h.client.patch(f"/api/v1/sessions/{ids[1]}?scope=following", headers=LEAD,
                           json={"start": "2027-02-08T11:00"})
    assert moved.status_code == 200, moved.json
    for read in (listing(h), timetable(h, "u-stu")):
        assert [read[i]["start"] for i in ids] == [
            "2027-02-01T09:00:00Z", "2027-02-08T11:00:00Z", "2027-02-15T11:00:00Z"]

    assert h.client.delete(f"/api/v1/sessions/{ids[2]}", headers=LEAD).status_code == 200
    for read in (listing(h), timetable(h, "u-stu")):
        assert [read[i]["status"] for i in ids] == ["scheduled", "scheduled", "cancelled"]

    added = create(h, "off-c", "2027-03-01T09:00")[0]["id"]
    assert added in listing(h) and added in timetable(h, "u-stu")


def test_a_worker_cancellation_shows_after_a_cached_read(h):
    h.offering("off-w", LONDON, [("u-lead", "lead")], course_id="crs-w")
    ids = [s["id"] for s in create(h, "off-w", "2027-04-05T09:00", count=2)]
    assert [listing(h, "off-w")[i]["status"] for i in ids] == ["scheduled", "scheduled"]
    h.publisher.publish(offering_event("off-w", "crs-w", LONDON, [("u-lead", "lead")],
                                       version=2, status="cancelled"))
    # Well inside the cache's age limit: only the stamp the worker renewed can make this pass.
    assert sessioncache.MAX_AGE_SECONDS >= 60
    wait_until(lambda: [listing(h, "off-w")[i]["status"] for i in ids] == ["cancelled"] * 2,
               timeout=30, what="the worker's cancellations in the listing")


def test_a_cached_copy_is_served_only_under_the_stamp_it_was_loaded_with(h, monkeypatch):
    session_id = create(h, "off-c", "2027-05-03T09:00", title="Before")[0]["id"]
    assert listing(h)[session_id]["title"] == "Before"
    # A change that bypasses the writers (and so the stamp) proves reads come from the copy...
    LiveSession._get_collection().update_one({"_id": session_id}, {"$set": {"title": "After"}})
    assert listing(h)[session_id]["title"] == "Before"
    # ...which a renewed stamp replaces,
    sessioncache.touch_offering("off-c")
    assert listing(h)[session_id]["title"] == "After"
    # and which expires on its own, bounding what a writer that died mid-way leaves behind.
    LiveSession._get_collection().update_one({"_id": session_id}, {"$set": {"title": "Later"}})
    monkeypatch.setattr(sessioncache, "MAX_AGE_SECONDS", 0.0)
    assert listing(h)[session_id]["title"] == "Later"


def test_timetables_follow_course_faculty_and_new_offerings_after_being_read(h):
    h.offering("off-g", LONDON, [("u-one", "lead")], course_id="crs-g")
    first = create(h, "off-g", "2027-06-07T09:00", lead="u-one")[0]["id"]
    assert first in timetable(h, "u-one") and first not in timetable(h, "u-two")

    h.publisher.publish(course_event("crs-g", [("u-two", "lead")], version=2, kind="updated"))
    wait_until(lambda: first in timetable(h, "u-two"), timeout=30, what="the new lead's view")
    assert first not in timetable(h, "u-one"), "a former lead's cached list is not served"

    h.offering("off-g2", LONDON, [("u-two", "lead")], course_id="crs-g")
    second = create(h, "off-g2", "2027-06-08T09:00", lead="u-two")[0]["id"]
    assert {first, second} <= set(timetable(h, "u-two"))
    assert timetable(h, "u-two")[second]["as"] == "faculty"


def test_a_replayed_course_change_renews_the_former_facultys_stamps(h):
    h.offering("off-r", LONDON, [("u-old", "lead")], course_id="crs-r")
    change = course_event("crs-r", [("u-new", "lead")], version=2, kind="updated")
    h.publisher.publish(change)
    h.processed(change)

    def stamp(user: str) -> str:
        return FacultyStamp._get_collection().find_one({"_id": user})["stamp"]

    before = stamp("u-old"), stamp("u-new")
    # A redelivery after a crash between the write and the stamps must finish the job.
    record_course(None, change["data"])
    after = stamp("u-old"), stamp("u-new")
    assert before[0] != after[0] and before[1] != after[1]
