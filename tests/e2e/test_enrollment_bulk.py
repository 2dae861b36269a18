"""Bulk rostering: an institution admin enrolls its own students in one call."""

from __future__ import annotations

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    bearer,
    edb_fixture,
    gw_catalog_fixture,
    gw_fixture,
    wait_for_institution,
    wait_for_view,
)
from tests.support import make_token, unique, wait_for

# The worker picks a job up within a second; a loaded machine may take far longer.
EVENTUAL = 120


def bulk(gw, offering_id: str, who: dict, body: dict):
    return gw.post(f"/api/v1/offerings/{offering_id}/enrollments/bulk", who, body)


def finished(gw, accepted, who: dict) -> dict:
    """The job a 202 names, once the worker has run every batch of it."""
    assert accepted.status_code == 202, accepted.text
    location = accepted.headers["Location"]
    assert location == f"/api/v1/enrollment-jobs/{accepted.json()['id']}"
    return wait_for(lambda: (job := gw.get(location, who).json())["status"] == "done" and job,
                    timeout=EVENTUAL, message="the bulk job to finish")


def test_27_students_of_one_university_in_one_call(gw, gw_catalog, edb):
    oxford = gw_catalog.institution("GB")
    changchun = gw_catalog.institution("CN", [unique("asia-")])
    wait_for_institution(edb, changchun["id"])
    course = gw_catalog.course(oxford["id"])
    offering = gw_catalog.offering(course["id"], capacity=25,
                                   eligibility={"countries": ["CN"]})
    wait_for_view(edb, offering["id"])
    registrar = bearer(make_token(unique("ia-"), ["institution_admin"], changchun["id"]))
    students = [unique("jlu-") for _ in range(27)]

    response = bulk(gw, offering["id"], registrar, {"student_ids": students})

    assert response.json()["status"] == "queued" and response.json()["total"] == 27
    body = finished(gw, response, registrar)
    assert body["processed"] == 27 and body["finished_at"]
    assert [r["student_id"] for r in body["results"]] == students
    assert [r["status"] for r in body["results"]] == [201] * 27
    statuses = [r["enrollment"]["status"] for r in body["results"]]
    assert statuses == ["confirmed"] * 25 + ["waitlisted"] * 2
    assert [r["enrollment"]["waitlist_position"] for r in body["results"][25:]] == [1, 2]
    assert body["summary"] == {"confirmed": 25, "waitlisted": 2}
    assert {r["enrollment"]["institution_id"] for r in body["results"]} == {changchun["id"]}
    own = Student(changchun["id"], user_id=students[0])
    mine = gw.get("/api/v1/me/enrollments", own).json()["items"]
    assert [(e["offering_id"], e["enrolled_by"] != students[0]) for e in mine] == [
        (offering["id"], True)]

    again = finished(gw, bulk(gw, offering["id"], registrar,
                              {"student_ids": [students[0], unique("jlu-")]}), registrar)
    results = again["results"]
    assert (results[0]["status"], results[0]["code"]) == (409, "already_enrolled")
    assert results[1]["status"] == 201
    assert results[1]["enrollment"]["status"] == "waitlisted"
    assert again["summary"] == {"refused": 1, "waitlisted": 1}
    assert gw.get(f"/api/v1/enrollment-jobs/{again['id']}", Student(changchun["id"]).headers
                  ).status_code == 404, "only the asker and platform admins see a job"


def test_bulk_follows_the_same_rules_and_roles(gw, gw_catalog, edb):
    home = gw_catalog.institution("GB")
    outsider = gw_catalog.institution("FR")
    wait_for_institution(edb, outsider["id"])
    course = gw_catalog.course(home["id"])
    offering = gw_catalog.offering(course["id"], eligibility={"institutions": [home["id"]]})
    wait_for_view(edb, offering["id"])
    home_admin = bearer(make_token(unique("ia-"), ["institution_admin"], home["id"]))
    outsider_admin = bearer(make_token(unique("ia-"), ["institution_admin"], outsider["id"]))
    admin = bearer(make_token("platform-admin", ["admin"]))
    student = Student(home["id"])
    one = {"student_ids": [unique("s-")]}

    ineligible = bulk(gw, offering["id"], outsider_admin, one)
    assert ineligible.status_code == 403 and ineligible.json()["code"] == "not_eligible"
    foreign = bulk(gw, offering["id"], home_admin, {**one, "institution_id": outsider["id"]})
    assert foreign.status_code == 403 and foreign.json()["code"] == "other_institution"
    assert bulk(gw, offering["id"], student.headers, one).status_code == 403
    assert bulk(gw, offering["id"], {}, one).status_code == 401
    assert bulk(gw, "off_missing", home_admin, one).status_code == 404
    for bad in ({"student_ids": []}, {"student_ids": ["a", "a"]}, {"student_ids": ["a b"]},
                {"student_ids": ["a"], "status": "confirmed"}):
        assert bulk(gw, offering["id"], home_admin, bad).status_code == 422
    assert edb["enrollments"].count_documents({"offering_id": offering["id"]}) == 0

    by_admin = finished(gw, bulk(gw, offering["id"], admin,
                                 {**one, "institution_id": home["id"]}), admin)
    assert by_admin["results"][0]["enrollment"]["status"] == "confirmed"


def test_bulk_size_is_bounded(gw, gw_catalog, edb):
    home = gw_catalog.institution("GB")
    offering = gw_catalog.offering(gw_catalog.course(home["id"])["id"])
    wait_for_view(edb, offering["id"])
    admin = bearer(make_token("platform-admin", ["admin"]))
    too_many = bulk(gw, offering["id"], admin, {"student_ids": [f"s{i}" for i in range(1001)]})
    assert too_many.status_code == 422 and "student_ids" in too_many.json()["errors"]
    assert edb["bulk_jobs"].count_documents({"offering_id": offering["id"]}) == 0
