"""Token checks at the gateway and the dev-token endpoint, against real stand-in services."""

import contextlib
import time

import jwt
import pytest

from meridian_gateway.app import create_app
from tests.gateway_harness import LiveServer, dev_key_pair, dev_token, echo_app, gateway_config

SERVICES = ("catalog", "enrollment", "classroom", "notifications")


@pytest.fixture(scope="module")
def upstreams():
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(LiveServer(echo_app(name))).url for name in SERVICES}


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def client(upstreams, key_dir):
    return create_app(gateway_config(upstreams, key_dir, dev_token_ttl_seconds=900)).test_client()


def _signed(key_dir, **claims):
    private_key, _ = dev_key_pair(key_dir)
    now = int(time.time())
    body = {"iss": "meridian-dev", "aud": "meridian", "sub": "u1", "iat": now, "exp": now + 60,
            "roles": ["student"], **claims}
    return jwt.encode(body, private_key.read_text(), algorithm="RS256")


def _assert_401(response):
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "WWW-Authenticate" in response.headers
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/me/enrollments"),
    ("POST", "/api/v1/courses"),
    ("PATCH", "/api/v1/offerings/o1"),
    ("GET", "/api/v1/offerings/o1/sessions"),
    ("DELETE", "/api/v1/sessions/s1"),
])
def test_private_routes_need_a_token(client, method, path):
    _assert_401(client.open(path, method=method))


@pytest.mark.parametrize("path", [
    "/api/v1/courses", "/api/v1/courses/c1/offerings", "/api/v1/institutions/i1",
    "/api/v1/offerings/o1", "/api/v1/calendar/tok.ics",
])
def test_public_reads_pass_without_a_token(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer not-a-jwt", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc",
])
def test_a_bad_authorization_header_is_refused_even_on_public_routes(client, header):
    _assert_401(client.get("/api/v1/courses", headers={"Authorization": header}))


@pytest.mark.parametrize("claims", [
    {"exp": 1}, {"aud": "someone-else"}, {"iss": "evil"},
])
def test_expired_or_foreign_tokens_are_refused(client, key_dir, claims):
    token = _signed(key_dir, **claims)
    _assert_401(client.get("/api/v1/me/enrollments", headers={"Authorization": f"Bearer {token}"}))


def test_a_token_signed_with_another_key_is_refused(client, tmp_path):
    other_private, _ = dev_key_pair(tmp_path)
    token = jwt.encode({"iss": "meridian-dev", "aud": "meridian", "sub": "u1",
                        "exp": int(time.time()) + 60}, other_private.read_text(), algorithm="RS256")
    _assert_401(client.get("/api/v1/me/enrollments", headers={"Authorization": f"Bearer {token}"}))


def test_a_dev_token_opens_private_routes_and_is_forwarded(client):
    token = dev_token(client, sub="stu-7", roles=["student"], institution_id="inst-1")
    response = client.get("/api/v1/me/enrollments", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["headers"]["Authorization"] == f"Bearer {token}"


def test_dev_token_answer_and_claims(client, key_dir):
    response = client.post("/api/v1/auth/dev-token", json={
        "sub": "adm", "roles": ["admin"], "institution_id": "i1", "timezone": "Asia/Shanghai"})
    body = response.get_json()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    _, public_key = dev_key_pair(key_dir)
    claims = jwt.decode(body["access_token"], public_key.read_text(), algorithms=["RS256"],
                        audience="meridian", issuer="meridian-dev")
    assert claims["roles"] == ["admin"]
    assert claims["institution_id"] == "i1"
    assert claims["timezone"] == "Asia/Shanghai"
    assert claims["exp"] - claims["iat"] == 900


@pytest.mark.parametrize(("body", "field"), [
    ({"sub": "u", "roles": ["superuser"]}, "roles"),
    ({"sub": "u", "roles": [], "timezone": "Nowhere/City"}, "timezone"),
    ({"sub": "u", "roles": [], "admin": True}, "admin"),
])
def test_dev_token_rejects_bad_fields_with_422(client, body, field):
    response = client.post("/api/v1/auth/dev-token", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_dev_token_rejects_malformed_json_with_400(client):
    response = client.post("/api/v1/auth/dev-token", data="{oops",
                           content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_without_dev_auth_the_endpoint_does_not_exist(upstreams, key_dir):
    app = create_app(gateway_config(upstreams, key_dir, dev_auth=False))
    response = app.test_client().post("/api/v1/auth/dev-token", json={"sub": "u", "roles": []})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_production_refuses_to_start_with_dev_auth(upstreams, key_dir):
    with pytest.raises(RuntimeError, match="production"):
        create_app(gateway_config(upstreams, key_dir, profile="production", dev_auth=True))
    assert create_app(gateway_config(upstreams, key_dir, profile="production", dev_auth=False))
