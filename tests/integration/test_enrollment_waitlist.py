"""The waitlist is first come, first served: promotions take its head, in order, once."""

from __future__ import annotations

import pytest

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    catalog_fixture,
    course_fixture,
    edb_fixture,
    enr_fixture,
    parallel,
    wait_for_view,
)
from tests.support import make_token, wait_for

ADMIN = {"Authorization": f"Bearer {make_token('platform-admin', ['admin'])}"}


def enroll_in_order(enr, offering_id: str, count: int) -> list[tuple[Student, dict]]:
    """`count` students enroll one after the other; returns (student, enrollment)."""
    out = []
    for _ in range(count):
        student = Student()
        response = enr.enroll(offering_id, student)
        assert response.status_code == 201, response.text
        out.append((student, response.json()))
    return out


def current(enr, enrollment: dict) -> dict:
    """The enrollment as the service shows it now."""
    response = enr.get(f"/api/v1/enrollments/{enrollment['id']}", ADMIN)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def offering(catalog, course, edb):
    created = catalog.offering(course["id"], capacity=2)
    wait_for_view(edb, created["id"])
    return created


def test_withdrawing_a_seat_promotes_the_head_of_the_waitlist_at_once(enr, offering):
    people = enroll_in_order(enr, offering["id"], 5)
    assert [e["status"] for _, e in people] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert [e["waitlist_position"] for _, e in people[2:]] == [1, 2, 3]

    first_student, first = people[0]
    response = enr.withdraw(first["id"], first_student)

    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert current(enr, people[2][1])["status"] == "confirmed"
    assert [current(enr, e)["waitlist_position"] for _, e in people[3:]] == [1, 2]
    roster = enr.roster(offering["id"])
    assert {e["id"] for e in roster["confirmed"]} == {people[1][1]["id"], people[2][1]["id"]}
    assert [e["id"] for e in roster["waitlisted"]] == [people[3][1]["id"], people[4][1]["id"]]


def test_leaving_the_waitlist_closes_the_gap_without_promoting(enr, offering):
    people = enroll_in_order(enr, offering["id"], 5)
    student, middle = people[3]

    assert enr.withdraw(middle["id"], student).status_code == 200

    assert current(enr, people[2][1])["waitlist_position"] == 1
    assert current(enr, people[4][1])["waitlist_position"] == 2
    assert len(enr.roster(offering["id"])["confirmed"]) == 2


def test_parallel_withdrawals_promote_exactly_as_many_heads_in_order(catalog, course, edb, enr):
    offering = catalog.offering(course["id"], capacity=5)
    wait_for_view(edb, offering["id"])
    people = enroll_in_order(enr, offering["id"], 15)
    confirmed, waiting = people[:5], [e for _, e in people[5:]]

    codes = parallel(lambda session, pair: enr.withdraw(pair[1]["id"], pair[0]).status_code,
                     confirmed[:3], workers=3)

    assert codes == [200, 200, 200]
    roster = enr.roster(offering["id"])
    assert {e["id"] for e in roster["confirmed"]} == (
        {e["id"] for _, e in confirmed[3:]} | {e["id"] for e in waiting[:3]})
    assert [e["id"] for e in roster["waitlisted"]] == [e["id"] for e in waiting[3:]]
    assert [e["waitlist_position"] for e in roster["waitlisted"]] == list(range(1, 8))


def test_raising_capacity_promotes_as_many_as_fit_in_order(catalog, course, edb, enr):
    offering = catalog.offering(course["id"], capacity=3)
    wait_for_view(edb, offering["id"])
    people = enroll_in_order(enr, offering["id"], 9)
    waiting = [e for _, e in people[3:]]

    catalog.patch_offering(offering["id"], capacity=7)

    wait_for(lambda: len(enr.roster(offering["id"])["confirmed"]) == 7, timeout=180,
             interval=1.0, message="promotions after the capacity raise")
    roster = enr.roster(offering["id"])
    assert {e["id"] for e in waiting[:4]} <= {e["id"] for e in roster["confirmed"]}
    assert [e["id"] for e in roster["waitlisted"]] == [e["id"] for e in waiting[4:]]
    assert [e["waitlist_position"] for e in roster["waitlisted"]] == [1, 2]


def test_capacity_cut_keeps_seat_numbers_within_capacity(catalog, course, edb, enr):
    offering = catalog.offering(course["id"], capacity=4, waitlist=False)
    wait_for_view(edb, offering["id"])
    people = enroll_in_order(enr, offering["id"], 4)
    seats = {row["enrollment_id"]: row["seat_no"]
             for row in edb["seats"].find({"offering_id": offering["id"]})}
    for student, enrollment in people:
        if seats[enrollment["id"]] <= 2:
            assert enr.withdraw(enrollment["id"], student).status_code == 200
    wait_for(lambda: catalog.get_offering(offering["id"])["seats_taken"] == 2, timeout=180,
             interval=1.0, message="catalog seat count after withdrawals")

    catalog.patch_offering(offering["id"], capacity=2)
    wait_for_view(edb, offering["id"], capacity=2)

    full = enr.enroll(offering["id"], Student())
    assert full.status_code == 409 and full.json()["code"] == "offering_full"
    catalog.patch_offering(offering["id"], capacity=3)
    wait_for_view(edb, offering["id"], capacity=3)
    late = enr.enroll(offering["id"], Student())
    assert late.status_code == 201 and late.json()["status"] == "confirmed"
    numbers = sorted(row["seat_no"] for row in edb["seats"].find({"offering_id": offering["id"]}))
    assert numbers == [1, 2, 3]


def test_full_offering_without_waitlist_refuses_and_stores_nothing(catalog, course, edb, enr):
    offering = catalog.offering(course["id"], capacity=1, waitlist=False)
    wait_for_view(edb, offering["id"])
    enroll_in_order(enr, offering["id"], 1)
    late = Student()

    response = enr.enroll(offering["id"], late)

    assert response.status_code == 409 and response.json()["code"] == "offering_full"
    assert edb["enrollments"].count_documents({"student_id": late.id}) == 0
    assert edb["places"].count_documents({"offering_id": offering["id"],
                                          "student_id": late.id}) == 0
    assert edb["enrollment_transitions"].count_documents(
        {"offering_id": offering["id"]}) == 0


def test_withdrawn_students_may_enroll_again_at_the_back_of_the_line(enr, offering):
    people = enroll_in_order(enr, offering["id"], 3)
    student, first = people[0]
    assert enr.withdraw(first["id"], student).status_code == 200
    again = enr.withdraw(first["id"], student)
    assert again.status_code == 409 and again.json()["code"] == "not_active"
    newcomer = enroll_in_order(enr, offering["id"], 1)[0][1]
    assert newcomer["waitlist_position"] == 1

    back = enr.enroll(offering["id"], student)

    assert back.status_code == 201 and back.json()["id"] != first["id"]
    assert back.json()["status"] == "waitlisted" and back.json()["waitlist_position"] == 2
