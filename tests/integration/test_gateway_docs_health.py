"""Health, readiness, metrics and the merged OpenAPI document, with real stand-in services."""

import contextlib
import socket
import time

import pytest
from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

from meridian_gateway.app import create_app
from tests.gateway_harness import LiveServer, echo_app, gateway_config, refused_url


def _smorest_spec(service: str, prefix: str, schema_name: str) -> dict:
    """A real flask-smorest document, as each service serves it."""
    app = Flask(f"spec_{service}")
    app.config.update(API_TITLE=service, API_VERSION="v1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json")
    api = Api(app)
    blp = Blueprint(service, __name__, url_prefix=prefix)
    item = type(schema_name, (Schema,), {"id": fields.String(), "service": fields.String()})

    @blp.route("/<item_id>")
    class Item(MethodView):
        @blp.response(200, item)
        def get(self, item_id):
            return {}

    api.register_blueprint(blp)
    return app.test_client().get("/openapi.json").get_json()


@pytest.fixture(scope="module")
def upstreams():
    specs = {"catalog": _smorest_spec("catalog", "/api/v1/courses", "Item"),
             "enrollment": _smorest_spec("enrollment", "/api/v1/enrollments", "Item")}
    apps = {name: echo_app(name, spec=spec) for name, spec in specs.items()}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(LiveServer(app)).url for name, app in apps.items()}
        classroom = stack.enter_context(refused_url())
        yield apps, {**urls, "classroom": classroom, "notifications": classroom}


@pytest.fixture(scope="module")
def client(upstreams, tmp_path_factory):
    _apps, urls = upstreams
    config = gateway_config(urls, tmp_path_factory.mktemp("keys"),
                            ready_upstreams="catalog,enrollment")
    return create_app(config).test_client()


def test_healthz_answers_without_asking_anyone(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "service": "gateway"}


def test_readyz_reports_every_upstream_and_ignores_optional_ones(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["checks"]["catalog"] == "ok"
    assert body["checks"]["classroom"] == "unavailable: unreachable"
    assert body["required"] == ["catalog", "enrollment"]


def test_readyz_fails_when_a_required_upstream_is_not_ready(client, upstreams):
    apps, _urls = upstreams
    apps["enrollment"].config["READY"] = False
    try:
        response = client.get("/readyz")
    finally:
        apps["enrollment"].config["READY"] = True
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["checks"]["enrollment"] == "unavailable: status 503"


def test_metrics_are_labelled_by_routing_table_entry(client):
    client.get("/api/v1/courses/c1")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="/api/v1/courses/**"' in text
    assert 'service="gateway"' in text


def test_openapi_merges_what_is_up_and_says_what_is_missing(client):
    response = client.get("/api/v1/openapi.json")
    document = response.get_json()
    assert response.status_code == 200
    assert {"/api/v1/courses/{item_id}", "/api/v1/enrollments/{item_id}",
            "/api/v1/auth/dev-token"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"CatalogItem", "EnrollmentItem", "CatalogError", "EnrollmentError"} <= set(schemas)
    assert document["x-meridian-services"] == {"catalog": "ok", "enrollment": "ok",
                                               "classroom": "unavailable",
                                               "notifications": "unavailable"}
    assert "classroom" in document["info"]["description"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_docs_page_is_self_contained_html(client):
    response = client.get("/api/docs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "/api/v1/courses/{item_id}" in html
    assert "/api/v1/auth/dev-token" in html
    assert "<script" not in html
    assert "classroom" in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_readyz_stays_quick_when_a_service_hangs(upstreams, tmp_path):
    _apps, urls = upstreams
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the kernel but nobody ever answers
    try:
        hung = f"http://127.0.0.1:{silent.getsockname()[1]}"
        app = create_app(gateway_config({**urls, "classroom": hung}, tmp_path,
                                        ready_upstreams="none"))
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert response.status_code == 200
    assert response.get_json()["checks"]["classroom"] == "unavailable: timeout"
    assert response.get_json()["required"] == []
    assert elapsed < 2
