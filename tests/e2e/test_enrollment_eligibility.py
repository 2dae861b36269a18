"""Eligibility by institution, alliance or country of the student's institution."""

from __future__ import annotations

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    edb_fixture,
    gw_catalog_fixture,
    gw_fixture,
    wait_for_institution,
    wait_for_view,
)
from tests.support import unique


def test_members_by_institution_alliance_or_country_enroll_and_others_get_403(gw, gw_catalog,
                                                                             edb):
    alliance = unique("med-")
    oxford = gw_catalog.institution("GB", [alliance])
    leuven = gw_catalog.institution("BE", [alliance])
    jilin = gw_catalog.institution("CN")
    harvard = gw_catalog.institution("US")
    lyon = gw_catalog.institution("FR", [unique("other-")])
    for institution in (oxford, leuven, jilin, harvard, lyon):
        wait_for_institution(edb, institution["id"])
    course = gw_catalog.course(oxford["id"])
    offering = gw_catalog.offering(course["id"], capacity=10, eligibility={
        "institutions": [harvard["id"]], "alliances": [alliance], "countries": ["CN"]})
    wait_for_view(edb, offering["id"])

    for institution in (oxford, leuven, jilin, harvard):
        response = gw.enroll(offering["id"], Student(institution["id"]))
        assert response.status_code == 201, (institution["country"], response.text)
    outsider = Student(lyon["id"])
    refused = gw.enroll(offering["id"], outsider)
    nobody = gw.enroll(offering["id"], Student())

    assert refused.status_code == 403
    assert refused.json()["code"] == "not_eligible" and refused.json()["reason"] == "not_eligible"
    assert alliance in refused.json()["detail"]
    assert nobody.status_code == 403 and nobody.json()["reason"] == "no_institution"
    assert gw.get("/api/v1/me/enrollments", outsider).json()["total"] == 0
    assert edb["places"].count_documents({"offering_id": offering["id"],
                                     "student_id": outsider.id}) == 0


def test_narrowed_eligibility_applies_to_new_enrollments(gw, gw_catalog, edb):
    home = gw_catalog.institution("GB")
    guest = gw_catalog.institution("DE")
    wait_for_institution(edb, guest["id"])
    course = gw_catalog.course(home["id"])
    offering = gw_catalog.offering(course["id"])
    wait_for_view(edb, offering["id"])
    assert gw.enroll(offering["id"], Student(guest["id"])).status_code == 201

    gw_catalog.patch_offering(offering["id"], eligibility={"institutions": [home["id"]]})
    wait_for_view(edb, offering["id"], eligibility={
        "institutions": [home["id"]], "alliances": [], "countries": []})

    assert gw.enroll(offering["id"], Student(guest["id"])).status_code == 403
    assert gw.enroll(offering["id"], Student(home["id"])).status_code == 201
