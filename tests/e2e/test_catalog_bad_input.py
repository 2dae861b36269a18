"""Every kind of bad input gets a clear problem+json answer, stores nothing, never a 500."""

import pytest

from tests.e2e import catalog_factories as make
from tests.support import make_token, unique

PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def _institution_count(client, name):
    listed = client.get("/api/v1/institutions", params={"per_page": 100, "country": "DE"}).json()
    return sum(1 for i in listed["items"] if i["name"] == name)


def test_malformed_json_is_400_and_stores_nothing(admin):
    name = f"Broken {unique()}"
    response = admin.post("/api/v1/institutions", data='{"name": "' + name + '", "country":',
                          headers={"Content-Type": "application/json"})
    _problem(response, 400)
    assert _institution_count(admin, name) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"country": "DE", "timezone": "Europe/Berlin"}, "name"),
    ({"country": "DD", "timezone": "Europe/Berlin"}, "country"),
    ({"country": "DE", "timezone": "Europe/Atlantis"}, "timezone"),
    ({"country": "DE", "timezone": "Europe/Berlin", "alliances": ["Not A Slug"]}, "alliances"),
    ({"country": "DE", "timezone": "Europe/Berlin", "id": "ins_chosen"}, "id"),
    ({"country": "DE", "timezone": "Europe/Berlin", "version": 99}, "version"),
    ({"country": ["DE"], "timezone": "Europe/Berlin"}, "country"),
])
def test_invalid_or_unknown_fields_are_422_per_field(admin, body, field):
    name = f"Invalid {unique()}"
    payload = {"name": name, **body} if field != "name" else body
    problem = _problem(admin.post("/api/v1/institutions", json=payload), 422)
    assert field in problem["errors"], problem
    assert _institution_count(admin, name) == 0


def test_course_and_offering_validation(admin):
    provider = make.institution(admin)
    bad_course = make.course_body(provider["id"], languages=["klingon"], credits=-1,
                                  faculty=[{"user_id": "a", "role": "lead"},
                                           {"user_id": "a", "role": "ta"}])
    problem = _problem(admin.post("/api/v1/courses", json=bad_course), 422)
    assert {"languages", "credits", "faculty"} <= set(problem["errors"])
    unknown_provider = make.course_body("ins_missing")
    _problem(admin.post("/api/v1/courses", json=unknown_provider), 422)
    course = make.course(admin, provider["id"])
    path = f"/api/v1/courses/{course['id']}/offerings"
    reversed_dates = make.offering_body(starts_on="2027-03-21", ends_on="2027-03-01")
    assert "ends_on" in _problem(admin.post(path, json=reversed_dates), 422)["errors"]
    for bad in ({"capacity": 0}, {"capacity": "12"}, {"timezone": "Asia/Changchun"},
                {"enrollment_opens_at": "2027-01-01T00:00:00"}, {"selection": "auction"},
                {"seats_taken": 3}):
        _problem(admin.post(path, json=make.offering_body(**bad)), 422)
    assert admin.get(path).json()["total"] == 0


def test_server_owned_course_fields_cannot_be_set(admin):
    provider = make.institution(admin)
    for field, value in (("status", "published"), ("id", "crs_mine"),
                         ("created_at", "2020-01-01T00:00:00Z")):
        body = make.course_body(provider["id"], **{field: value})
        assert field in _problem(admin.post("/api/v1/courses", json=body), 422)["errors"]
    course = make.course(admin, provider["id"], publish=False)
    assert "status" in _problem(admin.patch(f"/api/v1/courses/{course['id']}",
                                            json={"status": "published"}), 422)["errors"]
    _problem(admin.patch(f"/api/v1/courses/{course['id']}", json={}), 422)


def test_operator_keys_and_non_scalar_queries_are_refused(admin, anonymous):
    name = f"Injected {unique()}"
    body = {"name": name, "country": "DE", "timezone": "Europe/Berlin",
            "alliances": [{"$gt": ""}]}
    _problem(admin.post("/api/v1/institutions", json=body), 422)
    _problem(admin.post("/api/v1/institutions", json={"$where": "1", "name": name}), 422)
    assert _institution_count(admin, name) == 0
    _problem(anonymous.get("/api/v1/courses?q[$ne]=x"), 422)
    _problem(anonymous.get("/api/v1/courses?q=a&q=b"), 422)
    _problem(anonymous.get("/api/v1/courses?per_page=101"), 422)
    _problem(anonymous.get("/api/v1/courses?page=0"), 422)


def test_authentication_and_roles(anonymous, as_user, gateway_url, http):
    body = {"name": "No token", "country": "DE", "timezone": "Europe/Berlin"}
    _problem(anonymous.post("/api/v1/institutions", json=body), 401)
    forged = http.post(f"{gateway_url}/api/v1/institutions", json=body,
                       headers={"Authorization": "Bearer not.a.token"})
    _problem(forged, 401)
    expired = make_token("u-x", ["admin"], ttl=-3600)
    _problem(http.post(f"{gateway_url}/api/v1/institutions", json=body,
                       headers={"Authorization": f"Bearer {expired}"}), 401)
    student = as_user(roles=["student"])
    _problem(student.post("/api/v1/institutions", json=body), 403)


def test_unknown_ids_methods_and_oversized_bodies(admin, anonymous):
    _problem(anonymous.get("/api/v1/courses/crs_nope"), 404)
    _problem(anonymous.get("/api/v1/offerings/off_nope"), 404)
    _problem(anonymous.get("/api/v1/institutions/ins_nope"), 404)
    _problem(admin.post("/api/v1/courses/crs_nope/publish"), 404)
    _problem(admin.delete("/api/v1/courses"), 405)
    huge = {"name": "x" * (2 * 1024 * 1024), "country": "DE", "timezone": "Europe/Berlin"}
    _problem(admin.post("/api/v1/institutions", json=huge), 413)
