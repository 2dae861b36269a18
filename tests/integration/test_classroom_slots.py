"""Fair-hours suggestions through the API: zones from institutions (events) and from the
participants' own tokens, a ranking checked by hand, a fair rotation, and bad input."""

from __future__ import annotations

import pytest

from meridian_classroom.adapters.documents import ClassroomInstitution
from tests.classroom_harness import Harness, institution_event, wait_until
from tests.support import make_token

PATH = "/api/v1/offerings/off-fair/slot-suggestions"
WINTER = {"duration_minutes": 60, "from": "2027-01-11", "to": "2027-01-12",
          "earliest_local": "08:00", "latest_local": "21:00", "step_minutes": 60}


def auth(sub: str, tz: str | None = None, *roles: str) -> dict:
    return {"Authorization": f"Bearer {make_token(sub, list(roles) or ['student'], None, tz)}"}


LEAD = auth("u-lead", "Europe/London", "instructor")


@pytest.fixture(scope="module")
def h():
    with Harness() as harness:
        harness.publisher.publish(institution_event("ins-cc", "Asia/Shanghai", country="CN"),
                                  institution_event("ins-ny", "America/New_York", country="US"))
        wait_until(lambda: ClassroomInstitution.objects.count() == 2, what="institutions")
        harness.offering("off-fair", "Europe/London", [("u-lead", "lead"), ("u-ta", "ta")])
        for student in ("s1", "s2", "s3", "s5"):
            harness.enroll("off-fair", student, institution_id="ins-cc")
        harness.enroll("off-fair", "s4", institution_id="ins-ny")
        # s5 studies at Changchun's university but lives in London: their token says so.
        assert harness.client.get("/api/v1/me/timetable",
                                  headers=auth("s5", "Europe/London")).status_code == 200
        yield harness


def test_hand_checked_ranking_with_each_zones_local_time(h):
    # London 3 (lead by token, TA by the offering's zone, s5 by token), Shanghai 3, New York 1.
    answer = h.client.post(PATH, headers=LEAD, json=WINTER)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["participants"]["total"] == 7
    assert body["participants"]["zone_sources"] == {"own": 2, "institution": 4, "offering": 1}
    assert {z["timezone"]: z["count"] for z in body["participants"]["zones"]} == {
        "Europe/London": 3, "Asia/Shanghai": 3, "America/New_York": 1}
    ranked = [(c["start_local"], c["covered"]) for c in body["candidates"]]
    assert ranked == [("08:00", 6), ("09:00", 6), ("10:00", 6), ("11:00", 6), ("12:00", 6),
                      ("00:00", 4), ("01:00", 4), ("13:00", 4), ("14:00", 4), ("15:00", 4)]
    best = body["candidates"][0]
    assert best["coverage"] == round(6 / 7, 4) and best["first_start"] == "2027-01-11T08:00:00Z"
    zones = {z["timezone"]: z for z in best["zones"]}
    assert zones["Asia/Shanghai"]["local_start"] == "2027-01-11T16:00:00+08:00"
    assert zones["Asia/Shanghai"]["inside"] is True
    assert zones["America/New_York"]["local_start"] == "2027-01-11T03:00:00-05:00"
    assert zones["America/New_York"]["inside"] is False
    assert body["rotation"] is None, "a single session needs no rotation"


def test_a_series_rotates_the_bad_hour(h):
    answer = h.client.post(PATH, headers=LEAD, json={**WINTER, "occurrences": 6}).json
    assert answer["rotation"]["slots"] == ["08:00", "00:00", "13:00"]
    assert answer["rotation"]["worst_share_outside"] == round(1 / 3, 4)
    assert answer["rotation"]["share_outside"] == {
        "America/New_York": 0.3333, "Asia/Shanghai": 0.3333, "Europe/London": 0.3333}


def test_dst_in_the_range_is_accounted_for_day_by_day(h):
    # Britain springs forward on 28 March 2027: 12:00 London moves from 20:00 to 19:00 in
    # Shanghai, and 13:00 London becomes 20:00 (inside) only from the 28th.
    answer = h.client.post(PATH, headers=LEAD, json={
        **WINTER, "from": "2027-03-25", "to": "2027-03-30", "limit": 50}).json
    by_time = {c["start_local"]: c for c in answer["candidates"]}
    shanghai = {z["timezone"]: z for z in by_time["13:00"]["zones"]}["Asia/Shanghai"]
    assert shanghai["local_start_times"] == ["20:00", "21:00"]
    assert shanghai["inside_days"] == 3 and shanghai["inside"] is False
    assert "01:00" not in by_time, "01:00 London does not exist on 28 March"


def test_institution_zone_changes_arrive_by_event(h):
    h.publisher.publish(institution_event("ins-ny", "America/Los_Angeles", version=2))
    wait_until(lambda: ClassroomInstitution.objects(id="ins-ny").first().version == 2,
               what="institution v2")
    zones = h.client.post(PATH, headers=LEAD, json=WINTER).json["participants"]["zones"]
    assert {"timezone": "America/Los_Angeles", "count": 1} in zones
    h.publisher.publish(institution_event("ins-ny", "America/New_York", version=3))
    wait_until(lambda: ClassroomInstitution.objects(id="ins-ny").first().version == 3,
               what="institution v3")


@pytest.mark.parametrize("change,field", [
    ({"to": "2027-01-10"}, "to"),
    ({"to": "2027-06-30"}, "to"),
    ({"latest_local": "07:00"}, "latest_local"),
    ({"earliest_local": "20:30"}, "latest_local"),
    ({"earliest_local": "8am"}, "earliest_local"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"step_minutes": 7}, "step_minutes"),
    ({"timezone": "Atlantis/Capital"}, "timezone"),
    ({"occurrences": 99}, "occurrences"),
    ({"from": "not-a-date"}, "from"),
    ({"colour": "red"}, "colour"),
])
def test_bad_requests_are_422(h, change, field):
    answer = h.client.post(PATH, headers=LEAD, json={**WINTER, **change})
    assert answer.status_code == 422 and field in answer.json["errors"]


def test_only_faculty_ask(h):
    assert h.client.post(PATH, headers=auth("s1"), json=WINTER).status_code == 403
    assert h.client.post("/api/v1/offerings/nope/slot-suggestions", headers=LEAD,
                         json=WINTER).status_code == 404
