"""Deeply nested JSON is refused with one 400 and one log line, by services and the gateway."""

import logging

import pytest
from flask import Blueprint, jsonify

from meridian_common.config import Settings
from meridian_common.web.app import create_service_app
from meridian_common.web.json_depth import MAX_JSON_DEPTH, nesting_depth, too_deep
from tests.gateway_harness import gateway_config, refused_url

DEEP = b"[" * 50_000 + b"]" * 50_000


@pytest.mark.parametrize("text, depth", [
    (b'"x"', 0), (b"[]", 1), (b'{"a": [1, {"b": []}]}', 4),
    (b'{"a": "[[[[{{{{"}', 1), (b'["\\"[[", [["]"]]]', 3), (DEEP, 50_000),
])
def test_depth_is_measured_without_parsing(text, depth):
    assert nesting_depth(text) == depth


def test_the_limit_is_exclusive():
    at_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert not too_deep(at_limit)
    assert too_deep(b"[" + at_limit + b"]")


@pytest.fixture
def service():
    bp = Blueprint("things", __name__)
    reached = []

    @bp.route("/things", methods=["GET", "POST"])
    def things():
        reached.append(True)
        return jsonify({})

    app, _api = create_service_app(Settings(service="depthtest"), title="t", blueprints=[],
                                   connect_db=False)
    app.register_blueprint(bp)
    client = app.test_client()
    client.reached = reached
    return client


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_service_refuses_deep_json_with_one_short_log_line(service, method, caplog):
    with caplog.at_level(logging.INFO):
        response = getattr(service, method)("/things", data=DEEP,
                                            content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "json_too_deep"
    assert service.reached == []
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and len(warnings[0].getMessage()) < 200
    assert not any(r.exc_info for r in caplog.records)


def test_a_service_still_accepts_ordinary_nesting(service):
    body = b'{"a": [{"b": [1, 2]}], "c": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'
    response = service.post("/things", data=body, content_type="application/json")
    assert response.status_code == 200


@pytest.fixture
def gateway(tmp_path):
    from meridian_gateway.app import create_app

    with refused_url() as url:
        upstreams = {name: url for name in ("catalog", "enrollment", "classroom", "notifications")}
        app = create_app(gateway_config(upstreams, tmp_path))
        yield app.test_client()


@pytest.mark.parametrize("path", ["/api/v1/auth/dev-token", "/api/v1/courses"])
def test_the_gateway_refuses_deep_json_without_asking_a_service(gateway, path, caplog):
    with caplog.at_level(logging.INFO):
        response = gateway.post(path, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "json_too_deep"
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize("method", ["get", "delete", "head"])
def test_the_gateway_refuses_a_body_on_get_head_and_delete(gateway, method):
    response = getattr(gateway, method)("/api/v1/courses", data=b'{"a": 1}',
                                        content_type="application/json")
    assert response.status_code == 400
    if method != "head":
        assert response.get_json()["code"] == "unexpected_body"
