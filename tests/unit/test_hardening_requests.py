"""Request hygiene: unknown query parameters, PATCH without a body, 405 for gateway routes."""

import pytest
from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from meridian_common.config import Settings
from meridian_common.web.app import create_service_app
from meridian_common.web.http import PageArgs
from tests.gateway_harness import gateway_config, refused_url


class Patch(Schema):
    title = fields.String()


@pytest.fixture
def service():
    bp = Blueprint("things", __name__, url_prefix="/things")

    @bp.route("")
    class Things(MethodView):
        @bp.arguments(PageArgs, location="query")
        def get(self, args):
            return jsonify(args)

    @bp.route("/<thing_id>")
    class Thing(MethodView):
        def get(self, thing_id):
            return jsonify({"id": thing_id})

        @bp.arguments(Patch)
        def patch(self, data, thing_id):
            return jsonify(data)

    app, _api = create_service_app(Settings(service="requesttest"), title="t",
                                   blueprints=[bp], connect_db=False)
    return app.test_client()


def test_unknown_query_parameters_are_a_422_naming_them(service):
    response = service.get("/things?page_size=50&per_page=5")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"page_size": ["Unknown field."]}


def test_documented_query_parameters_pass(service):
    assert service.get("/things?page=2&per_page=5").get_json() == {"page": 2, "per_page": 5}
    assert service.head("/things?per_page=5").status_code == 200
    assert service.head("/things?nope=1").status_code == 422


def test_views_without_a_query_schema_are_left_alone(service):
    assert service.get("/things/t1?checksum=abc").status_code == 200


@pytest.mark.parametrize("body", [None, b""])
def test_a_patch_without_a_body_is_a_400(service, body):
    response = service.patch("/things/t1", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == "empty_patch"


def test_a_patch_on_a_path_without_patch_is_a_405_not_an_empty_patch(service):
    assert service.patch("/things").status_code == 405


def test_a_patch_with_a_body_passes(service):
    response = service.patch("/things/t1", json={"title": "New"})
    assert response.status_code == 200 and response.get_json() == {"title": "New"}


@pytest.fixture
def gateway(tmp_path):
    from meridian_gateway.app import create_app

    with refused_url() as url:
        upstreams = {name: url for name in ("catalog", "enrollment", "classroom", "notifications")}
        yield create_app(gateway_config(upstreams, tmp_path)).test_client()


@pytest.mark.parametrize("method", ["put", "get", "patch", "delete"])
def test_other_methods_on_the_dev_token_route_are_405_with_allow(gateway, method):
    response = getattr(gateway, method)("/api/v1/auth/dev-token")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "POST" in response.headers["Allow"]


def test_options_on_the_dev_token_route_lists_only_its_methods(gateway):
    issued = gateway.post("/api/v1/auth/dev-token", json={"sub": "u-1", "roles": ["student"]})
    token = issued.get_json()["access_token"]
    response = gateway.options("/api/v1/auth/dev-token",
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"POST", "OPTIONS"}


def test_paths_no_route_owns_stay_404(gateway):
    assert gateway.put("/api/v1/nothing-here").status_code == 404
