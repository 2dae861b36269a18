"""The audit's request probes against the running stack: deep JSON, bodies on GET, malformed
claims in signed tokens, unknown query parameters, empty PATCHes, wrong methods."""

from __future__ import annotations

import time

import pytest
import requests

from tests.support import env, make_token, unique

BASES = ("GATEWAY_URL", "CATALOG_URL", "ENROLLMENT_URL", "CLASSROOM_URL")
DEEP = "[" * 20_000 + "]" * 20_000
JSON = {"Content-Type": "application/json"}
# A list each base answers only after verifying any token it is given.
LISTS = {"GATEWAY_URL": "/api/v1/courses?status=draft",
         "CATALOG_URL": "/api/v1/courses?status=draft",
         "ENROLLMENT_URL": "/api/v1/me/enrollments", "CLASSROOM_URL": "/api/v1/me/timetable"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_deeply_nested_json_is_a_400_everywhere_without_a_token(base, method):
    response = requests.request(method, f"{env(base)}/api/v1/courses", data=DEEP,
                                headers=JSON, timeout=10)
    assert _problem(response, 400)["code"] == "json_too_deep"


@pytest.mark.parametrize("base", ["CATALOG_URL", "ENROLLMENT_URL", "CLASSROOM_URL"])
def test_a_service_refuses_deep_json_even_on_a_get(base):
    response = requests.get(f"{env(base)}/api/v1/courses", data=DEEP, headers=JSON, timeout=10)
    assert _problem(response, 400)["code"] == "json_too_deep"


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/v1/courses"),
                                            ("DELETE", "/api/v1/enrollments/enr_x")])
def test_the_gateway_refuses_a_body_on_get_and_delete(method, path):
    response = requests.request(method, f"{env('GATEWAY_URL')}{path}",
                                data='{"a": 1}', headers=JSON, timeout=10)
    assert _problem(response, 400)["code"] == "unexpected_body"


def test_a_method_the_path_lacks_is_a_405_even_with_a_body():
    token = make_token(unique("u-"), ["admin"])
    response = requests.delete(f"{env('GATEWAY_URL')}/api/v1/courses", data='{"a": 1}',
                               headers={**JSON, "Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 405, response.text[:300]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("claims", [
    {"institution_id": {"$ne": None}}, {"sub": ""}, {"exp": str(int(time.time()) + 600)},
    {"roles": [{"$in": ["admin"]}]}, {"timezone": "localtime"},
])
def test_signed_tokens_with_malformed_claims_are_401(base, claims):
    overrides = {"institution_id": "ins_x", "roles": ["institution_admin"], **claims}
    token = make_token(overrides.pop("sub", "hardening-admin"), overrides.pop("roles"),
                       **overrides)
    response = requests.get(f"{env(base)}{LISTS[base]}", timeout=10,
                            headers={"Authorization": f"Bearer {token}"})
    assert _problem(response, 401)["code"] == "invalid_token"


@pytest.mark.parametrize("base", ["GATEWAY_URL", "CATALOG_URL"])
def test_unknown_query_parameters_are_422_like_unknown_fields(base):
    response = requests.get(f"{env(base)}/api/v1/courses?page_size=50", timeout=10)
    assert _problem(response, 422)["errors"] == {"page_size": ["Unknown field."]}
    assert requests.get(f"{env(base)}/api/v1/courses?per_page=5", timeout=10).status_code == 200


@pytest.mark.parametrize("base", ["GATEWAY_URL", "CATALOG_URL"])
def test_a_patch_without_a_body_is_400(base):
    token = make_token("hardening-admin", ["admin"])
    response = requests.patch(f"{env(base)}/api/v1/institutions/ins_none", timeout=10,
                              headers={"Authorization": f"Bearer {token}", **JSON})
    assert _problem(response, 400)["code"] == "empty_patch"


def test_put_on_the_dev_token_route_is_405_with_allow():
    response = requests.put(f"{env('GATEWAY_URL')}/api/v1/auth/dev-token", json={}, timeout=10)
    _problem(response, 405)
    assert "POST" in response.headers["Allow"]
