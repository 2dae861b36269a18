"""Bad input is refused as problem+json with the documented status, and stores nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    bearer,
    edb_fixture,
    faculty_course_fixture,
    gw_catalog_fixture,
    gw_fixture,
    wait_for_view,
)
from tests.support import make_token


@pytest.fixture
def offering(gw_catalog, edb, faculty_course):
    created = gw_catalog.offering(faculty_course["id"], capacity=3)
    wait_for_view(edb, created["id"])
    return created


def post_raw(gw, path: str, who, data: bytes, content_type: str = "application/json"):
    return gw.http.post(gw.base + path, data=data, timeout=30,
                        headers={**who.headers, "Content-Type": content_type})


@pytest.mark.parametrize("body, field", [
    ({"status": "confirmed"}, "status"), ({"waitlist_position": 1}, "waitlist_position"),
    ({"student_id": "someone-else"}, "student_id"), ({"seat_no": 1}, "seat_no")])
def test_bodies_that_set_what_the_server_decides_are_422(gw, offering, edb, body, field):
    student = Student()
    response = gw.enroll(offering["id"], student, body)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert edb["enrollments"].count_documents({"student_id": student.id}) == 0


def test_malformed_and_non_json_bodies(gw, offering):
    path = f"/api/v1/offerings/{offering['id']}/enrollments"
    student = Student()
    assert post_raw(gw, path, student, b'{"student_id": ').status_code == 400
    assert post_raw(gw, path, student, b"[1, 2]").status_code == 422
    assert post_raw(gw, path, student, b"status=confirmed", "text/plain").status_code == 415
    assert gw.get("/api/v1/me/enrollments", student).json()["total"] == 0


def test_outside_the_window_is_422_and_stores_nothing(gw, gw_catalog, edb, faculty_course):
    future = gw_catalog.offering(faculty_course["id"], opens=timedelta(days=2),
                                 closes=timedelta(days=4))
    past = gw_catalog.offering(faculty_course["id"], opens=timedelta(days=-4),
                               closes=timedelta(days=-2))
    student = Student()
    for created, code in ((future, "enrollment_not_open"), (past, "enrollment_closed")):
        wait_for_view(edb, created["id"])
        response = gw.enroll(created["id"], student)
        assert (response.status_code, response.json()["code"]) == (422, code)
        assert edb["places"].count_documents({"offering_id": created["id"]}) == 0
    assert gw.get("/api/v1/me/enrollments", student).json()["total"] == 0


def test_window_reopened_through_the_catalog_takes_enrollments(gw, gw_catalog, edb,
                                                               faculty_course):
    created = gw_catalog.offering(faculty_course["id"], opens=timedelta(days=2),
                                  closes=timedelta(days=4))
    wait_for_view(edb, created["id"])
    assert gw.enroll(created["id"], Student()).status_code == 422
    gw_catalog.patch_offering(created["id"], enrollment_opens_at=(
        datetime.now(UTC) - timedelta(hours=1)).isoformat())
    wait_for_view(edb, created["id"], check=lambda row: row["enrollment_opens_at"].replace(
        tzinfo=UTC) < datetime.now(UTC))
    assert gw.enroll(created["id"], Student()).status_code == 201


def test_same_idempotency_key_replays_and_a_different_body_is_refused(gw, offering, edb):
    student = Student()
    first = gw.enroll(offering["id"], student, headers={"Idempotency-Key": "k-1"})
    again = gw.enroll(offering["id"], student, headers={"Idempotency-Key": "k-1"})
    other = gw.enroll(offering["id"], student, {"student_id": student.id},
                      headers={"Idempotency-Key": "k-1"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert edb["enrollments"].count_documents({"student_id": student.id}) == 1


def test_a_404_under_a_key_is_not_kept_so_a_retry_runs_again(gw):
    """An offering the catalog has not announced yet may be known a moment later (read models
    are eventual): the same-key retry must ask again, not replay the first 404."""
    student = Student()
    unknown = f"off_{uuid.uuid4().hex[:20]}"
    first = gw.enroll(unknown, student, headers={"Idempotency-Key": "k-404"})
    again = gw.enroll(unknown, student, headers={"Idempotency-Key": "k-404"})
    assert first.status_code == again.status_code == 404
    assert "Idempotent-Replayed" not in again.headers


def test_already_enrolled_is_409_naming_the_enrollment(gw, offering):
    student = Student()
    first = gw.enroll(offering["id"], student).json()
    second = gw.enroll(offering["id"], student)
    assert second.status_code == 409
    assert second.json()["code"] == "already_enrolled"
    assert second.json()["enrollment_id"] == first["id"]


@pytest.mark.parametrize("path, body", [
    ("/api/v1/offerings/{o}/enrollments", {"student_id": "x" * 5000}),
    ("/api/v1/offerings/{o}/enrollments", {"student_id": {"$gt": ""}}),
    ("/api/v1/offerings/{o}/enrollments", {"student_id": None}),
    ("/api/v1/offerings/{o}/enrollments/bulk", {"student_ids": "abc"}),
    ("/api/v1/offerings/{o}/enrollments/bulk", {"student_ids": [["nested"]]}),
    ("/api/v1/offerings/{o}/enrollments/bulk", {"student_ids": ["ok", "ok"]}),
    ("/api/v1/offerings/{o}/enrollments/bulk", {"student_ids": []}),
    ("/api/v1/offerings/{o}/draw", {"seed": 12}),
    ("/api/v1/offerings/{o}/draw", {"quotas": {"ins": "two"}}),
    ("/api/v1/offerings/%E2%98%83%00/enrollments", {}),
    ("/api/v1/offerings/{o}/enrollments", {"student_id": "\u00fcn\u00efc\u00f6d\u00e9"}),
])
def test_odd_input_is_never_a_server_error(gw, offering, path, body):
    admin = Student()
    admin.headers = bearer(make_token("platform-admin", ["admin", "student"]))
    response = gw.post(path.format(o=offering["id"]), admin, body)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_me_enrollments_pages_and_filters(gw, gw_catalog, edb, faculty_course):
    student = Student()
    offerings = [gw_catalog.offering(faculty_course["id"]) for _ in range(3)]
    for created in offerings:
        wait_for_view(edb, created["id"])
        assert gw.enroll(created["id"], student).status_code == 201

    page = gw.get("/api/v1/me/enrollments?per_page=2&page=2", student).json()
    only = gw.get(f"/api/v1/me/enrollments?offering_id={offerings[0]['id']}", student).json()

    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)
    assert [e["offering_id"] for e in only["items"]] == [offerings[0]["id"]]
    assert gw.get("/api/v1/me/enrollments?per_page=101", student).status_code == 422
    assert gw.get("/api/v1/me/enrollments?status=lost", student).status_code == 422
