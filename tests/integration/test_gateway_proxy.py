"""Proxying through the gateway (in-process) to real HTTP stand-in services."""

import contextlib
import io
import re

import pytest

from meridian_gateway.app import create_app
from tests.gateway_harness import CALENDAR_CHUNK, LiveServer, dev_token, echo_app, gateway_config

SERVICES = ("catalog", "enrollment", "classroom", "notifications")


@pytest.fixture(scope="module")
def upstreams():
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(LiveServer(echo_app(name))).url for name in SERVICES}


@pytest.fixture(scope="module")
def client(upstreams, tmp_path_factory):
    app = create_app(gateway_config(upstreams, tmp_path_factory.mktemp("keys"),
                                    max_body_bytes=4096))
    return app.test_client()


@pytest.fixture(scope="module")
def auth(client):
    return {"Authorization": f"Bearer {dev_token(client, roles=['admin'])}"}


@pytest.mark.parametrize(("path", "service"), [
    ("/api/v1/courses/x/offerings", "catalog"),
    ("/api/v1/offerings/o1/roster", "enrollment"),
    ("/api/v1/me/timetable", "classroom"),
])
def test_requests_reach_the_owning_service(client, auth, path, service):
    response = client.get(path, headers=auth)
    assert response.status_code == 200
    assert response.get_json()["service"] == service
    assert response.get_json()["path"] == path


def test_method_query_body_and_end_to_end_headers_are_forwarded(client, auth):
    response = client.patch(
        "/api/v1/enrollments/e1?tz=Asia%2FShanghai&page=2", data=b'{"a": 1}',
        headers={**auth, "Content-Type": "application/json", "If-Match": '"v3"',
                 "Idempotency-Key": "key-1", "Accept": "application/json",
                 "Cookie": "secret=1", "X-Forwarded-For": "203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    echoed = response.get_json()
    assert echoed["method"] == "PATCH"
    assert echoed["query"] == "tz=Asia%2FShanghai&page=2"
    assert echoed["body"] == '{"a": 1}'
    headers = echoed["headers"]
    assert headers["Authorization"] == auth["Authorization"]
    assert headers["If-Match"] == '"v3"'
    assert headers["Idempotency-Key"] == "key-1"
    assert headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == "8"
    assert headers["X-Forwarded-For"] == "203.0.113.5, 10.1.2.3"
    assert "Cookie" not in headers


def test_a_well_formed_request_id_is_echoed_and_passed_upstream(client, auth):
    response = client.get("/api/v1/me/enrollments", headers={**auth, "X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.get_json()["headers"]["X-Request-Id"] == "abc-123"


@pytest.mark.parametrize("sent", [None, "has spaces", "x" * 200, "<script>"])
def test_a_missing_or_malformed_request_id_is_replaced(client, auth, sent):
    headers = {**auth, **({"X-Request-ID": sent} if sent else {})}
    response = client.get("/api/v1/me/enrollments", headers=headers)
    minted = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", minted)
    assert response.get_json()["headers"]["X-Request-Id"] == minted


def test_etag_and_conditional_get_pass_through(client):
    first = client.get("/api/v1/courses/c1")
    assert first.status_code == 200
    assert first.headers["ETag"] == '"v1"'
    assert first.get_json() == {"id": "c1"}
    again = client.get("/api/v1/courses/c1", headers={"If-None-Match": '"v1"'})
    assert again.status_code == 304
    assert again.headers["ETag"] == '"v1"'
    assert again.data == b""


def test_head_keeps_the_get_length_without_a_body(client):
    response = client.head("/api/v1/courses/c1")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(b'{"id": "c1"}'))
    assert response.data == b""


def test_created_answers_keep_status_location_and_cookies(client, auth):
    response = client.post("/api/v1/courses", json={"code": "X"}, headers=auth)
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/courses/c1"
    assert response.headers.getlist("Set-Cookie") == ["a=1", "b=2"]


def test_problem_details_from_a_service_pass_unchanged(client, auth):
    response = client.post("/api/v1/courses/conflict", headers=auth)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "7"
    assert response.get_json()["title"] == "Conflict"


def test_large_bodies_stream_through_with_their_content_type(client):
    response = client.get("/api/v1/calendar/feed-token.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.is_streamed
    assert response.data == CALENDAR_CHUNK * 8


def test_bodies_over_the_limit_are_refused_with_413(client, auth):
    response = client.post("/api/v1/courses", data=b"x" * 5000, headers=auth,
                           content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def _chunked(client, auth, body: bytes):
    return client.post("/api/v1/courses", input_stream=io.BytesIO(body), headers={
        **auth, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True})


def test_chunked_bodies_are_forwarded_whole(client, auth):
    response = _chunked(client, auth, b'{"code": "CH1"}')
    assert response.status_code == 201
    assert response.get_json()["body"] == '{"code": "CH1"}'
    assert response.get_json()["headers"]["Content-Length"] == "15"


def test_chunked_bodies_over_the_limit_are_refused_not_cut_short(client, auth):
    response = _chunked(client, auth, b"x" * 5000)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert _chunked(client, auth, b"x" * 4096).status_code == 201


def test_unknown_api_paths_are_404_problems_even_without_a_token(client):
    for path in ("/api/v1/nothing", "/api/v1/courses/../me/enrollments", "/elsewhere"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
        assert "X-Request-ID" in response.headers
