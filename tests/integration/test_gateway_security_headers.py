"""Security headers, no-store for token holders, HSTS and the CORS allow-list (real stand-ins)."""

import contextlib

import pytest

from meridian_gateway.app import create_app
from tests.gateway_harness import LiveServer, dev_token, echo_app, gateway_config

PORTAL = "https://portal.example.edu"


@pytest.fixture(scope="module")
def upstreams():
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(LiveServer(echo_app(name))).url
               for name in ("catalog", "enrollment", "classroom", "notifications")}


def _client(upstreams, tmp_path, **overrides):
    return create_app(gateway_config(upstreams, tmp_path, **overrides)).test_client()


@pytest.fixture
def client(upstreams, tmp_path):
    return _client(upstreams, tmp_path)


def _assert_hardened(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_every_kind_of_answer_is_hardened(client):
    auth = {"Authorization": f"Bearer {dev_token(client)}"}
    for response in (client.get("/api/v1/courses"),
                     client.get("/api/v1/me/enrollments"),
                     client.get("/api/v1/nowhere"),
                     client.get("/api/v1/me/timetable", headers=auth),
                     client.get("/healthz")):
        _assert_hardened(response)
    assert client.get("/api/v1/courses").headers["Content-Security-Policy"].startswith(
        "default-src 'none'")


def test_the_docs_page_keeps_its_own_policy_and_cannot_be_framed(client):
    policy = client.get("/api/docs").headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert policy.endswith("frame-ancestors 'none'")


def test_answers_to_token_holders_are_never_stored(client):
    token = dev_token(client)
    private = client.get("/api/v1/me/enrollments", headers={"Authorization": f"Bearer {token}"})
    assert private.status_code == 200
    assert private.headers["Cache-Control"] == "no-store"
    public_with_token = client.get("/api/v1/courses/c1",
                                   headers={"Authorization": f"Bearer {token}"})
    assert public_with_token.headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/api/v1/courses/c1").headers


def test_hsts_only_where_it_belongs(upstreams, tmp_path):
    assert "Strict-Transport-Security" not in _client(upstreams, tmp_path).get("/healthz").headers
    configured = _client(upstreams, tmp_path, hsts_seconds=600).get("/healthz")
    assert configured.headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    production = _client(upstreams, tmp_path, profile="production", dev_auth=False)
    assert production.get("/healthz").headers["Strict-Transport-Security"].startswith(
        "max-age=31536000")
    behind_tls = _client(upstreams, tmp_path, trusted_proxies=1).get(
        "/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in behind_tls.headers
    spoofed = _client(upstreams, tmp_path).get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def _preflight(client, origin, method="POST", headers="Authorization, Content-Type"):
    return client.options("/api/v1/offerings/o1/enrollments", headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})


def test_cors_preflights_from_allowed_origins_are_answered_without_a_token(upstreams, tmp_path):
    client = _client(upstreams, tmp_path, cors_origins=f"{PORTAL},https://other.example.org")
    allowed = _preflight(client, PORTAL)
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    assert "Origin" in allowed.headers["Vary"]
    for refused in (_preflight(client, "https://evil.example"),
                    _preflight(client, PORTAL, method="TRACE"),
                    _preflight(client, PORTAL, headers="X-Internal-Secret")):
        assert refused.status_code == 403
        assert refused.mimetype == "application/problem+json"
        assert "Access-Control-Allow-Methods" not in refused.headers
    assert "Access-Control-Allow-Origin" not in _preflight(client, "https://evil.example").headers


def test_cors_answers_name_only_allowed_origins(upstreams, tmp_path):
    client = _client(upstreams, tmp_path, cors_origins=PORTAL)
    allowed = client.get("/api/v1/courses", headers={"Origin": PORTAL})
    assert allowed.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/api/v1/courses", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_without_an_allow_list_there_is_no_cors(client):
    assert _preflight(client, PORTAL).status_code == 401
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/v1/courses", headers={"Origin": PORTAL}).headers


def test_an_origin_with_a_path_is_a_configuration_error(upstreams, tmp_path):
    with pytest.raises(ValueError, match="CORS"):
        _client(upstreams, tmp_path, cors_origins="https://portal.example.edu/app")
