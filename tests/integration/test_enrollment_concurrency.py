"""Seats never oversell under hundreds of parallel requests across several gunicorn workers.

These tests hit the running enrollment-api of the test stack (MERIDIAN_WORKERS gunicorn
processes) directly, with offerings created through the catalog API.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    catalog_fixture,
    course_fixture,
    edb_fixture,
    enr_fixture,
    forget_fixture,
    parallel,
    wait_for_view,
)
from tests.support import wait_for


def rush(enr, offering_id: str, students: list, workers: int = 32) -> list:
    """Everyone enrolls at once; returns (status code, body) per student, in input order."""
    def attempt(session, student):
        response = enr.enroll(offering_id, student, session=session)
        return response.status_code, response.json()

    return parallel(attempt, students, workers)


def assert_seated_exactly(results: list, capacity: int) -> None:
    """Everyone got 201; exactly `capacity` confirmed; the rest waitlisted 1..n without gaps."""
    assert Counter(code for code, _ in results) == {201: len(results)}
    statuses = Counter(body["status"] for _, body in results)
    assert statuses == {"confirmed": capacity, "waitlisted": len(results) - capacity}
    positions = sorted(body["waitlist_position"] for _, body in results
                       if body["status"] == "waitlisted")
    assert positions == list(range(1, len(results) - capacity + 1))


@pytest.mark.timeout(600)
def test_500_parallel_requests_for_5_seats(catalog, enr, edb, course, forget):
    offering = catalog.offering(course["id"], capacity=5)
    forget(offering["id"])
    wait_for_view(edb, offering["id"])
    students = [Student() for _ in range(500)]

    results = rush(enr, offering["id"], students)

    assert_seated_exactly(results, 5)
    roster = enr.roster(offering["id"])
    assert len(roster["confirmed"]) == 5
    assert [e["waitlist_position"] for e in roster["waitlisted"]] == list(range(1, 496))
    answered = {body["id"]: body["waitlist_position"] for _, body in results}
    assert all(answered[e["id"]] == e["waitlist_position"] for e in roster["waitlisted"])
    seats = sorted(row["seat_no"] for row in edb["seats"].find({"offering_id": offering["id"]}))
    assert seats == [1, 2, 3, 4, 5]
    places = [row["student_id"] for row in edb["places"].find({"offering_id": offering["id"]})]
    assert sorted(places) == sorted(s.id for s in students)
    tickets = sorted(row["ticket"] for row in edb["waitlist_tickets"].find(
        {"offering_id": offering["id"]}))
    assert tickets == list(range(1, 496))
    # Both figures at once: the stream may bring a confirmation after the last waitlisting.
    wait_for(lambda: (lambda o: (o["seats_taken"], o["waitlist_length"]))(
        catalog.get_offering(offering["id"])) == (5, 495),
        timeout=300, interval=2.0, message="catalog seat figures")


@pytest.mark.timeout(1200)
def test_200_parallel_requests_for_10_seats_never_oversell_in_20_rounds(catalog, enr, edb,
                                                                          course, forget):
    offerings = [catalog.offering(course["id"], capacity=10) for _ in range(20)]
    for offering in offerings:
        forget(offering["id"])
        wait_for_view(edb, offering["id"])
    for offering in offerings:
        results = rush(enr, offering["id"], [Student() for _ in range(200)])
        assert_seated_exactly(results, 10)
        assert len(enr.roster(offering["id"])["confirmed"]) == 10


def test_50_parallel_retries_by_one_student_make_one_enrollment(catalog, enr, edb, course):
    offering = catalog.offering(course["id"], capacity=3)
    wait_for_view(edb, offering["id"])
    student = Student()

    results = rush(enr, offering["id"], [student] * 50)

    created = [body for code, body in results if code == 201]
    refused = [body for code, body in results if code != 201]
    assert len(created) == 1
    assert {(b["status"], b["code"]) for b in refused} == {(409, "already_enrolled")}
    assert {b["enrollment_id"] for b in refused} == {created[0]["id"]}
    mine = enr.get("/api/v1/me/enrollments", student).json()
    assert mine["total"] == 1 and mine["items"][0]["id"] == created[0]["id"]
    assert edb["enrollments"].count_documents({"offering_id": offering["id"]}) == 1


def test_50_parallel_retries_with_one_idempotency_key_make_one_enrollment(catalog, enr, edb,
                                                                          course):
    offering = catalog.offering(course["id"], capacity=3)
    wait_for_view(edb, offering["id"])
    student = Student()

    def attempt(session, _):
        response = enr.enroll(offering["id"], student, session=session,
                              headers={"Idempotency-Key": "retry-1"})
        return response.status_code, response.json()

    results = parallel(attempt, list(range(50)))

    created = {body["id"] for code, body in results if code == 201}
    assert len(created) == 1
    assert {body["code"] for code, body in results if code != 201} <= {
        "idempotency_in_progress"}
    again = enr.enroll(offering["id"], student, headers={"Idempotency-Key": "retry-1"})
    assert again.status_code == 201 and again.json()["id"] in created
    assert again.headers["Idempotent-Replayed"] == "true"
    assert edb["enrollments"].count_documents({"offering_id": offering["id"]}) == 1
