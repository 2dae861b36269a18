"""Text no backend can store (NUL, lone surrogates) is refused as 422 before any view runs."""

import pytest
from flask import Blueprint, jsonify

from meridian_common.config import Settings
from meridian_common.web.app import create_service_app


@pytest.fixture
def client():
    bp = Blueprint("texts", __name__)
    reached = []

    @bp.route("/things/<thing_id>", methods=["GET", "POST"])
    def thing(thing_id):
        reached.append(thing_id)
        return jsonify({"id": thing_id})

    app, _api = create_service_app(Settings(service="texttest"), title="t", blueprints=[],
                                   connect_db=False)
    app.register_blueprint(bp)
    client = app.test_client()
    client.reached = reached
    return client


@pytest.mark.parametrize("send", [
    lambda c: c.get("/things/%E2%98%83%00"),
    lambda c: c.get("/things/a?q=x%00y"),
    lambda c: c.post("/things/a", data='{"name": "a\\u0000b"}',
                     content_type="application/json"),
    lambda c: c.post("/things/a", data='{"name": "\\ud800"}', content_type="application/json"),
])
def test_unstorable_text_is_a_422_and_reaches_no_view(client, send):
    response = send(client)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert client.reached == []


def test_ordinary_unicode_passes(client):
    assert client.get("/things/%E2%98%83?q=%C3%BC").status_code == 200
    assert client.reached == ["\u2603"]
