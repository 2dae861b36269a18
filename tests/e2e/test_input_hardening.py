"""Input hardening on every service, directly and through the gateway: server-owned fields
cannot be set (mass assignment), `$` keys and non-scalar query values never reach a query,
page sizes are capped, bodies are capped (413), and broken text is refused — all 4xx."""

from __future__ import annotations

import json

import pytest

from meridian_common.config import load_settings
from tests.support import env, make_token, unique

BASES = ("GATEWAY_URL", "CATALOG_URL", "ENROLLMENT_URL", "CLASSROOM_URL")
# A POST route each base answers (the gateway's reaches the catalog).
POSTS = {"GATEWAY_URL": "/api/v1/institutions", "CATALOG_URL": "/api/v1/institutions",
         "ENROLLMENT_URL": "/api/v1/offerings/off_x/enrollments/bulk",
         "CLASSROOM_URL": "/api/v1/offerings/off_x/sessions"}
LISTS = {"GATEWAY_URL": "/api/v1/courses", "CATALOG_URL": "/api/v1/courses",
         "ENROLLMENT_URL": "/api/v1/me/enrollments", "CLASSROOM_URL": "/api/v1/me/timetable"}
INSTITUTION = {"name": "Hardening U", "country": "GB", "timezone": "Europe/London"}
COURSE = {"code": "H1", "title": "Hardening", "provider_institution_id": "ins_x",
          "languages": ["en"]}
OFFERING = {"term": "t", "starts_on": "2030-01-01", "ends_on": "2030-02-01",
            "timezone": "UTC", "capacity": 5, "enrollment_opens_at": "2029-01-01T00:00:00Z",
            "enrollment_closes_at": "2029-02-01T00:00:00Z"}
SESSION = {"kind": "lecture", "title": "L", "start": "2030-01-02T10:00", "timezone": "UTC",
           "duration_minutes": 60, "instructors": ["u1"]}

# (service, method, path, valid body, server-owned field → value a client might try)
MASS_ASSIGNMENT = [
    ("catalog", "POST", "/api/v1/institutions", INSTITUTION, {"id": "ins_mine"}),
    ("catalog", "POST", "/api/v1/institutions", INSTITUTION, {"version": 7}),
    ("catalog", "PATCH", "/api/v1/institutions/ins_x", {"name": "N"}, {"created_at": "2020"}),
    ("catalog", "POST", "/api/v1/courses", COURSE, {"status": "published"}),
    ("catalog", "POST", "/api/v1/courses", COURSE, {"search_terms": ["x"]}),
    ("catalog", "PATCH", "/api/v1/courses/crs_x", {"title": "T"}, {"provider_institution_id": "i"}),
    ("catalog", "PATCH", "/api/v1/courses/crs_x", {"title": "T"}, {"outbox": []}),
    ("catalog", "POST", "/api/v1/courses/crs_x/offerings", OFFERING, {"seats_taken": 0}),
    ("catalog", "POST", "/api/v1/courses/crs_x/offerings", OFFERING, {"course_id": "crs_y"}),
    ("catalog", "PATCH", "/api/v1/offerings/off_x", {"capacity": 9}, {"status": "open"}),
    ("enrollment", "POST", "/api/v1/offerings/off_x/enrollments", {}, {"status": "confirmed"}),
    ("enrollment", "POST", "/api/v1/offerings/off_x/enrollments", {}, {"waitlist_position": 1}),
    ("enrollment", "POST", "/api/v1/offerings/off_x/enrollments/bulk", {"student_ids": ["s"]},
     {"enrolled_by": "someone"}),
    ("classroom", "POST", "/api/v1/offerings/off_x/sessions", SESSION, {"sequence": 0}),
    ("classroom", "POST", "/api/v1/offerings/off_x/sessions", SESSION, {"offering_id": "o"}),
    ("classroom", "PATCH", "/api/v1/sessions/ses_x", {"title": "T"}, {"status": "scheduled"}),
    ("classroom", "PUT", "/api/v1/offerings/off_x/meeting-provider", {"provider": "jitsi"},
     {"updated_by": "me"}),
]


def _call(http, base: str, method: str, path: str, **kwargs):
    token = make_token(unique("hardening-"), ["admin", "student"])
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return http.request(method, env(base) + path, headers=headers, timeout=30, **kwargs)


def _assert_refused(response, status: int = 422):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize("via", ["GATEWAY_URL", "direct"])
@pytest.mark.parametrize(("service", "method", "path", "body", "owned"), MASS_ASSIGNMENT)
def test_server_owned_fields_cannot_be_set(http, via, service, method, path, body, owned):
    base = via if via != "direct" else f"{service.upper()}_URL"
    problem = _assert_refused(_call(http, base, method, path, json={**body, **owned}))
    assert set(owned) <= set(problem["errors"]), problem


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("body", [
    {"name": {"$gt": ""}}, {"student_ids": [{"$ne": None}]}, {"eligibility": {"$where": "1"}},
    {"$set": {"status": "published"}},
])
def test_operator_keys_never_reach_a_query(http, base, body):
    _assert_refused(_call(http, base, "POST", POSTS[base], json=body))


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0", "page[$gt]=1",
                                   "status[$ne]=x", "per_page=1&per_page=2"])
def test_list_queries_are_bounded_scalars(http, base, query):
    _assert_refused(_call(http, base, "GET", f"{LISTS[base]}?{query}"))


@pytest.mark.parametrize("base", BASES)
def test_bodies_over_the_limit_are_413(http, base):
    filler = "x" * (load_settings("tests").max_body_bytes + 1)
    response = _call(http, base, "POST", POSTS[base], data=json.dumps({"name": filler}),
                     headers={"Content-Type": "application/json"})
    _assert_refused(response, 413)


@pytest.mark.parametrize("base", BASES)
def test_lone_surrogates_are_refused_not_stored(http, base):
    raw = '{"name": "Bad \\ud800 name", "country": "GB", "timezone": "Europe/London"}'
    problem = _assert_refused(_call(http, base, "POST", POSTS[base], data=raw,
                                    headers={"Content-Type": "application/json"}))
    assert "Unicode" in problem["detail"]


@pytest.mark.parametrize("base", ["CATALOG_URL", "GATEWAY_URL"])
@pytest.mark.parametrize("media_type", ["application/merge-patch+json", "application/json"])
def test_every_json_media_type_is_checked(http, base, media_type):
    body = json.dumps({**INSTITUTION, "alliances": [{"$gt": ""}]})
    problem = _assert_refused(_call(http, base, "POST", "/api/v1/institutions", data=body,
                                    headers={"Content-Type": media_type}))
    assert "$" in problem["detail"]


@pytest.mark.parametrize("base", BASES)
def test_a_body_in_another_media_type_is_a_4xx(http, base):
    response = _call(http, base, "POST", POSTS[base], data="name=x",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500, response.text
