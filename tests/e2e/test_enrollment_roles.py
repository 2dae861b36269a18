"""Who may do what with enrollments, through the gateway."""

from __future__ import annotations

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    bearer,
    edb_fixture,
    faculty_course_fixture,
    gw_catalog_fixture,
    gw_fixture,
    wait_for_view,
)
from tests.support import make_token, unique


def test_role_matrix_for_reading_withdrawing_and_rosters(gw, gw_catalog, edb, faculty_course):
    provider = faculty_course["provider_institution_id"]
    offering = gw_catalog.offering(faculty_course["id"], capacity=2)
    wait_for_view(edb, offering["id"])
    owner, other = Student(), Student()
    lead = bearer(make_token(faculty_course["lead"], ["instructor"]))
    ta = bearer(make_token(faculty_course["ta"], ["instructor"]))
    stranger = bearer(make_token(unique("prof-"), ["instructor"]))
    provider_admin = bearer(make_token(unique("ia-"), ["institution_admin"], provider))
    other_admin = bearer(make_token(unique("ia-"), ["institution_admin"], "ins_elsewhere"))
    admin = bearer(make_token("platform-admin", ["admin"]))

    created = gw.enroll(offering["id"], owner)
    assert created.status_code == 201, created.text
    enrollment = created.json()
    path = f"/api/v1/enrollments/{enrollment['id']}"
    roster = f"/api/v1/offerings/{offering['id']}/roster"

    for who, expected in ((owner, 200), (lead, 200), (ta, 200), (provider_admin, 200),
                          (admin, 200), (other, 403), (stranger, 403), (other_admin, 403),
                          ({}, 401)):
        assert gw.get(path, who).status_code == expected, (who, expected)
    for who, expected in ((lead, 200), (ta, 200), (provider_admin, 200), (admin, 200),
                          (owner, 403), (stranger, 403), (other_admin, 403), ({}, 401)):
        assert gw.get(roster, who).status_code == expected, (who, expected)
    for who in (other, lead, provider_admin):
        refused = gw.withdraw(enrollment["id"], who)
        assert refused.status_code == 403
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert gw.get(path, owner).json()["status"] == "confirmed"

    withdrawn = gw.withdraw(enrollment["id"], admin)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    mine = gw.get("/api/v1/me/enrollments", owner).json()
    assert [(e["id"], e["status"]) for e in mine["items"]] == [(enrollment["id"], "withdrawn")]
    assert gw.get("/api/v1/me/enrollments", other).json()["total"] == 0


def test_only_students_enroll_themselves(gw, gw_catalog, edb, faculty_course):
    offering = gw_catalog.offering(faculty_course["id"])
    wait_for_view(edb, offering["id"])
    for roles in (["instructor"], ["institution_admin"], ["admin"], []):
        who = bearer(make_token(unique("u-"), roles, "ins_x"))
        response = gw.enroll(offering["id"], who)
        assert response.status_code == 403 and response.json()["code"] == "forbidden_role"
    assert gw.enroll(offering["id"], {}).status_code == 401
    assert gw.enroll(offering["id"], bearer("not.a.token")).status_code == 401


def test_single_enrollments_carry_etags(gw, gw_catalog, edb, faculty_course):
    offering = gw_catalog.offering(faculty_course["id"])
    wait_for_view(edb, offering["id"])
    student = Student()
    enrollment = gw.enroll(offering["id"], student).json()
    path = f"/api/v1/enrollments/{enrollment['id']}"

    first = gw.get(path, student)
    again = gw.http.get(gw.base + path, headers={**student.headers,
                                                  "If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200 and first.headers["ETag"]
    assert again.status_code == 304


def test_unknown_ids_are_404(gw):
    admin = bearer(make_token("platform-admin", ["admin"]))
    assert gw.get("/api/v1/enrollments/enr_nope", admin).status_code == 404
    assert gw.get("/api/v1/offerings/off_nope/roster", admin).status_code == 404
    assert gw.enroll("off_nope", Student()).status_code == 404
    assert gw.withdraw("enr_nope", admin).status_code == 404
