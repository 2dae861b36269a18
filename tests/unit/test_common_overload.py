"""A database that gives up on a query for lack of time answers 503, not 500."""

from __future__ import annotations

from flask import Blueprint
from pymongo.errors import ExecutionTimeout, OperationFailure

from meridian_common.config import Settings
from meridian_common.persistence.db import is_overloaded
from meridian_common.web.app import create_service_app


def test_ferretdb_deadline_is_overload():
    exc = OperationFailure("context deadline exceeded", code=1,
                           details={"errmsg": "context deadline exceeded", "code": 1})
    assert is_overloaded(exc)


def test_server_time_limit_is_overload():
    assert is_overloaded(ExecutionTimeout("operation exceeded time limit", code=50))


def test_other_refusals_are_not_overload():
    assert not is_overloaded(OperationFailure("unknown operator: $foo", code=2,
                                              details={"errmsg": "unknown operator: $foo"}))
    assert not is_overloaded(ValueError("context deadline exceeded"))


def _client():
    bp = Blueprint("busy", __name__)

    @bp.get("/busy")
    def busy():
        raise OperationFailure("context deadline exceeded", code=1,
                               details={"errmsg": "context deadline exceeded", "code": 1})

    @bp.get("/broken")
    def broken():
        raise OperationFailure("unknown operator: $foo", code=2,
                               details={"errmsg": "unknown operator: $foo"})

    app, _api = create_service_app(Settings(service="overloadtest"), title="t", blueprints=[],
                                   connect_db=False)
    app.register_blueprint(bp)
    return app.test_client()


def test_overloaded_database_answers_503_with_retry_after():
    response = _client().get("/busy")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.get_json()["code"] == "dependency_overloaded"


def test_other_database_refusals_stay_500_without_details():
    response = _client().get("/broken")
    assert response.status_code == 500
    assert "$foo" not in response.get_data(as_text=True)
