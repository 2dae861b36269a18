"""FerretDB answering while its PostgreSQL restarts: 503 with Retry-After, not 500."""

from __future__ import annotations

from flask import Blueprint
from pymongo.errors import OperationFailure

from meridian_common.config import Settings
from meridian_common.persistence.db import is_overloaded, is_unavailable
from meridian_common.web.app import create_service_app

# As FerretDB 1.24 on PostgreSQL answered during the chaos suite's PostgreSQL SIGKILL.
STARTING_UP = ("[msg_find.go:344 handler.handleMaxTimeMSError] [collection.go:109 "
               "postgresql.(*collection).Query] failed to connect to `user=meridian "
               "database=ferretdb`:\n\t127.0.0.1:24032 (127.0.0.1): server error: FATAL: the "
               "database system is starting up (SQLSTATE 57P03)")


def storage_down() -> OperationFailure:
    return OperationFailure(STARTING_UP, code=1, details={"errmsg": STARTING_UP, "code": 1})


def test_lost_storage_is_unavailable_not_overload():
    assert is_unavailable(storage_down())
    assert not is_overloaded(storage_down())
    assert not is_unavailable(OperationFailure("unknown operator: $foo", code=2,
                                               details={"errmsg": "unknown operator: $foo"}))


def test_a_request_during_the_storage_restart_answers_503_with_retry_after():
    bp = Blueprint("down", __name__)

    @bp.get("/down")
    def down():
        raise storage_down()

    app, _api = create_service_app(Settings(service="storagedown"), title="t", blueprints=[],
                                   connect_db=False)
    app.register_blueprint(bp)
    response = app.test_client().get("/down")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.get_json()["code"] == "dependency_unavailable"
    assert "ferretdb" not in response.get_data(as_text=True)
