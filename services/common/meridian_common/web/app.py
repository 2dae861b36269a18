"""The app factory every service builds on: errors, auth, request ids, health, OpenAPI."""

from __future__ import annotations

import http
import logging

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from pymongo.errors import ConnectionFailure, OperationFailure, ServerSelectionTimeoutError

from ..config import Settings
from ..messaging import relay_nudge
from ..persistence import db
from . import openapi_fields
from .auth import TokenVerifier
from .errors import (
    PROBLEM_MIME,
    ProblemSchema,
    problem_response,
    register_error_handlers,
    unexpected_response,
)
from .health import ReadinessCheck, build_health_blueprint, instrument
from .http import reject_unsafe_input
from .logs import configure_logging
from .query_args import refuse_unknown_query_args
from .request_ids import install_request_ids

log = logging.getLogger(__name__)


class MeridianApi(Api):
    """flask-smorest Api whose documented error body is problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        # flask-smorest documents error responses under the success content type; every
        # Meridian error is answered as application/problem+json, so document that instead.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any error, as problem details (RFC 9457)",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIME)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def _install_dependency_errors(app: Flask) -> None:
    @app.errorhandler(ServerSelectionTimeoutError)
    @app.errorhandler(ConnectionFailure)
    def _database_down(exc):
        log.error("database unavailable: %s", exc)
        return problem_response(503, "The database is unavailable; try again shortly.",
                                code="dependency_unavailable", headers={"Retry-After": "5"})

    @app.errorhandler(OperationFailure)
    def _database_refused(exc):
        if db.is_unavailable(exc):
            log.error("database storage unavailable: %s", exc)
            return problem_response(503, "The database is unavailable; try again shortly.",
                                    code="dependency_unavailable", headers={"Retry-After": "2"})
        if not db.is_overloaded(exc):
            return unexpected_response(exc)
        log.warning("database overloaded: %s", exc)
        return problem_response(503, "The database is busy; try again shortly.",
                                code="dependency_overloaded", headers={"Retry-After": "2"})


def _install_relay_nudges(app: Flask, settings: Settings) -> None:
    """Bind this process's nudge sender to every request, so its outbox writes wake the relay."""
    if not settings.relay_nudge_address:
        return
    sender = relay_nudge.NudgeSender(settings.relay_nudge_address, settings.service)
    app.extensions["meridian.relay_nudge"] = sender

    @app.before_request
    def _bind_relay_nudge():
        relay_nudge.bind(sender)


def create_service_app(settings: Settings, *, title: str, blueprints: list,
                       readiness: dict[str, ReadinessCheck] | None = None,
                       connect_db: bool = True) -> tuple[Flask, MeridianApi]:
    """Build a Flask app with Meridian's conventions and register the API blueprints."""
    configure_logging(settings.service, settings.log_level)
    app = Flask(settings.service)
    app.config.update(
        SERVICE_NAME=settings.service,
        MERIDIAN_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}},
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False
    app.extensions["meridian.verifier"] = TokenVerifier(settings)
    _install_relay_nudges(app, settings)
    if connect_db:
        db.connect(settings)
    api = MeridianApi(app)
    openapi_fields.install(api.ma_plugin)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    checks = {"database": db.ping} if connect_db else {}
    checks.update(readiness or {})
    app.register_blueprint(build_health_blueprint(checks))
    install_request_ids(app)
    app.before_request(reject_unsafe_input)
    app.before_request(refuse_unknown_query_args)
    instrument(app, settings.service)
    register_error_handlers(app)
    _install_dependency_errors(app)
    return app, api
