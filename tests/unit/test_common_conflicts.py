"""A domain Conflict leaves every service as 409 problem+json carrying its code and extras."""

from flask import Blueprint

from meridian_common.config import Settings
from meridian_common.conflicts import Conflict
from meridian_common.web.app import create_service_app
from meridian_common.web.errors import PROBLEM_MIME


def _client():
    bp = Blueprint("conflicting", __name__)

    @bp.post("/things")
    def create():
        raise Conflict("offering_full", "The offering is full.", {"waitlist": False})

    @bp.post("/plain")
    def plain():
        raise Conflict("duplicate", "Exists already.")

    app, _api = create_service_app(Settings(service="conflicttest"), title="t", blueprints=[],
                                   connect_db=False)
    app.register_blueprint(bp)
    return app.test_client()


def test_conflict_is_answered_as_409_problem_with_code_and_extra_members():
    response = _client().post("/things")
    assert response.status_code == 409
    assert response.mimetype == PROBLEM_MIME
    body = response.get_json()
    assert body["code"] == "offering_full"
    assert body["detail"] == "The offering is full."
    assert body["waitlist"] is False
    assert body["type"].endswith("/offering_full")


def test_conflict_without_extra_has_only_the_standard_members():
    body = _client().post("/plain").get_json()
    assert set(body) == {"type", "title", "status", "detail", "code"}
    assert body["status"] == 409


def test_conflict_knows_no_http():
    exc = Conflict("duplicate", "Exists already.")
    assert (exc.code, exc.message, exc.extra, str(exc)) == ("duplicate", "Exists already.", {},
                                                            "Exists already.")
