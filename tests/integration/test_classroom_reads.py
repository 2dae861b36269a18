"""Listings, timetables and feeds read the stored sessions and read models directly: every
write, by the API or the worker, shows in the very next read, and a user's timetable follows
course faculty changes and new offerings."""

from __future__ import annotations

import pytest

from meridian_classroom.adapters.documents import LiveSession
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


def listing(h, offering_id: str = "off-c", headers: dict = LEAD, query: str = "") -> dict:
    answer = h.client.get(f"/api/v1/offerings/{offering_id}/sessions?per_page=100{query}",
                          headers=headers)
    assert answer.status_code == 200, answer.json
    return {s["id"]: s for s in answer.json["items"]}


def timetable(h, user: str) -> dict[str, dict]:
    answer = h.client.get("/api/v1/me/timetable?from=2027-01-01&per_page=100",
                          headers=auth(user))
    assert answer.status_code == 200, answer.json
    return {s["id"]: s for s in answer.json["items"]}


def test_every_api_write_shows_in_the_next_read(h):
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


def test_a_stored_change_shows_without_any_cache_to_renew(h):
    session_id = create(h, "off-c", "2027-05-03T09:00", title="Before")[0]["id"]
    assert listing(h)[session_id]["title"] == "Before"
    LiveSession._get_collection().update_one({"_id": session_id}, {"$set": {"title": "After"}})
    assert listing(h)[session_id]["title"] == "After"
    assert timetable(h, "u-stu")[session_id]["title"] == "After"


def test_ranges_and_pages_select_from_the_database(h):
    ids = [s["id"] for s in create(h, "off-c", "2027-09-06T09:00", count=5, title="Paged")]
    window = "&from=2027-09-13&to=2027-09-27"
    assert list(listing(h, query=window)) == ids[1:4]
    first = h.client.get(f"/api/v1/offerings/off-c/sessions?per_page=2{window}", headers=LEAD)
    second = h.client.get(f"/api/v1/offerings/off-c/sessions?per_page=2&page=2{window}",
                          headers=LEAD)
    assert first.json["total"] == second.json["total"] == 3
    assert [s["id"] for s in first.json["items"] + second.json["items"]] == ids[1:4]
    # A session running across `from` (it started the evening before) is in the range.
    late = create(h, "off-c", "2027-10-03T23:30", title="Overnight")[0]["id"]
    assert late in listing(h, query="&tz=Europe/London&from=2027-10-04&to=2027-10-04")


def test_a_worker_cancellation_shows_in_the_next_read(h):
    h.offering("off-w", LONDON, [("u-lead", "lead")], course_id="crs-w")
    ids = [s["id"] for s in create(h, "off-w", "2027-04-05T09:00", count=2)]
    assert [listing(h, "off-w")[i]["status"] for i in ids] == ["scheduled", "scheduled"]
    h.publisher.publish(offering_event("off-w", "crs-w", LONDON, [("u-lead", "lead")],
                                       version=2, status="cancelled"))
    wait_until(lambda: [listing(h, "off-w")[i]["status"] for i in ids] == ["cancelled"] * 2,
               timeout=30, what="the worker's cancellations in the listing")


def test_timetables_follow_course_faculty_and_new_offerings(h):
    h.offering("off-g", LONDON, [("u-one", "lead")], course_id="crs-g")
    first = create(h, "off-g", "2027-06-07T09:00", lead="u-one")[0]["id"]
    assert first in timetable(h, "u-one") and first not in timetable(h, "u-two")

    h.publisher.publish(course_event("crs-g", [("u-two", "lead")], version=2, kind="updated"))
    wait_until(lambda: first in timetable(h, "u-two"), timeout=30, what="the new lead's view")
    assert first not in timetable(h, "u-one"), "a former lead no longer sees the course"

    h.offering("off-g2", LONDON, [("u-two", "lead")], course_id="crs-g")
    second = create(h, "off-g2", "2027-06-08T09:00", lead="u-two")[0]["id"]
    assert {first, second} <= set(timetable(h, "u-two"))
    assert timetable(h, "u-two")[second]["as"] == "faculty"
    pages = [h.client.get(f"/api/v1/me/timetable?from=2027-06-01&to=2027-06-30&per_page=1"
                          f"&page={n}", headers=auth("u-two")).json for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [[s["id"] for s in p["items"]] for p in pages] == [[first], [second], []]


def test_a_students_timetable_pages_through_several_offerings_in_start_order(h):
    starts = {"off-p1": "2028-03-06T09:00", "off-p2": "2028-03-06T10:00",
              "off-p3": "2028-03-06T08:00"}
    made = {}
    for offering_id, start in starts.items():
        h.offering(offering_id, LONDON, [("u-lead", "lead")], course_id=f"crs-{offering_id}")
        h.enroll(offering_id, "u-many")
        made[offering_id] = [s["id"] for s in create(h, offering_id, start, count=2)]
    window = "from=2028-03-01&to=2028-03-31&per_page=2"
    pages = [h.client.get(f"/api/v1/me/timetable?{window}&page={n}",
                          headers=auth("u-many")).json for n in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [6, 6, 6, 6]
    # Week 1: 08:00 (p3), 09:00 (p1), 10:00 (p2); week 2 the same order.
    expected = [made["off-p3"][0], made["off-p1"][0], made["off-p2"][0],
                made["off-p3"][1], made["off-p1"][1], made["off-p2"][1]]
    assert [s["id"] for p in pages for s in p["items"]] == expected


def test_a_timetable_over_more_offerings_than_one_in_query_holds_finds_them_all(h):
    # 23 offerings: more than meridian_common.persistence.server.IN_VALUES_PER_QUERY (20).
    offerings = [f"off-wide-{n:02d}" for n in range(23)]
    made = []
    for n, offering_id in enumerate(offerings):
        h.offering(offering_id, LONDON, [("u-wide", "lead")], course_id=f"crs-wide-{n}")
        made += create(h, offering_id, f"2029-04-{2 + n:02d}T09:00", lead="u-wide")
    answer = h.client.get("/api/v1/me/timetable?from=2029-04-01&to=2029-04-30&per_page=100",
                          headers=auth("u-wide", "instructor"))
    assert answer.status_code == 200, answer.json
    assert answer.json["total"] == 23
    assert [s["id"] for s in answer.json["items"]] == [s["id"] for s in made]
