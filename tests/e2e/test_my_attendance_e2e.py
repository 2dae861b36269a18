"""Through the gateway: a student's own attendance history after joining a live session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.conftest import Client
from tests.e2e.test_classroom_e2e import EVENTUAL, create, fetch, publish
from tests.support import make_token, unique, wait_for

SHANGHAI = "Asia/Shanghai"
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def visit(gateway_url):
    """A student who joined an office hour starting in a few minutes, and a classmate who didn't."""
    http = requests.Session()

    def client(sub, roles, institution_id=None):
        return Client(http, gateway_url, make_token(sub, roles, institution_id, SHANGHAI))

    tag = unique("")
    admin = client("platform-admin", ["admin"])
    school = create(admin, "/api/v1/institutions", {
        "name": f"Jilin {tag}", "country": "CN", "timezone": SHANGHAI, "alliances": []})
    lead = f"lead-{tag}"
    course = create(admin, "/api/v1/courses", {
        "code": f"ATT-{tag}", "title": "Attendance", "summary": "Who came",
        "provider_institution_id": school["id"], "languages": ["en"], "discipline": "surgery",
        "level": "postgraduate", "credits": 1, "tags": [],
        "faculty": [{"user_id": lead, "role": "lead"}]})
    publish(admin, course["id"])
    now = datetime.now(UTC)
    offering = create(admin, f"/api/v1/courses/{course['id']}/offerings", {
        "term": "2027-1", "starts_on": "2027-03-15", "ends_on": "2027-04-16",
        "timezone": SHANGHAI, "capacity": 10,
        "enrollment_opens_at": (now - timedelta(hours=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=60)).isoformat(),
        "eligibility": None, "selection": "first_come", "waitlist": True})["id"]
    student = client(f"stu-{tag}", ["student"], school["id"])
    classmate = client(f"mate-{tag}", ["student"], school["id"])
    path = f"/api/v1/offerings/{offering}/enrollments"
    wait_for(lambda: student.post(path, json={}).status_code in (201, 409), timeout=EVENTUAL,
             message="the enrollment service to know the offering")
    create(classmate, path, {})
    staff = client(lead, ["instructor"], school["id"])
    sessions_path = f"/api/v1/offerings/{offering}/sessions"
    wait_for(lambda: staff.get(sessions_path).status_code == 200, timeout=EVENTUAL,
             message="the classroom to know the offering and its faculty")
    start = (datetime.now(UTC) + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    session = create(staff, sessions_path, {
        "kind": "office_hours", "title": "Questions", "start": start, "timezone": "UTC",
        "duration_minutes": 20, "instructors": [lead]})["sessions"][0]
    join = f"/api/v1/sessions/{session['id']}/join"
    joined = wait_for(lambda: (r := student.post(join, json={})).status_code == 200 and r,
                      timeout=EVENTUAL, message="the enrollment to reach the classroom roster")
    yield {"student": student, "classmate": classmate, "session": session,
           "offering": offering, "attendance_id": joined.json()["attendance_id"]}
    http.close()


def test_the_student_sees_their_visit_with_local_times(visit):
    page = fetch(visit["student"], f"/api/v1/me/attendance?tz={SHANGHAI}").json()
    assert page["total"] == 1 and page["page"] == 1 and page["per_page"] == 20
    (item,) = page["items"]
    session = visit["session"]
    assert item["id"] == visit["attendance_id"] and item["session_id"] == session["id"]
    assert item["offering_id"] == visit["offering"]
    assert (item["session_title"], item["session_kind"]) == ("Questions", "office_hours")
    assert (item["session_start"], item["session_end"]) == (session["start"], session["end"])
    assert item["left_at"] is None and item["duration_minutes"] is None
    utc_start = datetime.fromisoformat(session["start"].replace("Z", "+00:00"))
    assert item["local_start"] == (utc_start + timedelta(hours=8)).strftime(
        "%Y-%m-%dT%H:%M:%S+08:00")
    assert item["local_timezone"] == SHANGHAI and item["local_joined_at"].endswith("+08:00")
    joined_at = datetime.fromisoformat(item["joined_at"].replace("Z", "+00:00"))
    assert utc_start - timedelta(minutes=15) <= joined_at <= datetime.now(UTC)


def test_without_tz_there_are_no_local_times(visit):
    (item,) = fetch(visit["student"], "/api/v1/me/attendance").json()["items"]
    assert "local_start" not in item and item["session_id"] == visit["session"]["id"]


def test_another_user_does_not_see_it(visit):
    page = fetch(visit["classmate"], "/api/v1/me/attendance").json()
    assert page == {"items": [], "page": 1, "per_page": 20, "total": 0}


@pytest.mark.parametrize("query", ["per_page=0", "per_page=x", "tz=Mars/Olympus", "colour=red"])
def test_bad_query_is_a_422_problem(visit, query):
    response = fetch(visit["student"], f"/api/v1/me/attendance?{query}")
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_without_a_token_it_is_401(visit, anonymous):
    assert fetch(anonymous, "/api/v1/me/attendance").status_code == 401
