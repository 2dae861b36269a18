"""Enrollment app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask, request

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence.idempotency_claims import lease_for
from meridian_common.web.app import create_service_app
from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError

from .adapters.wiring import ensure_indexes, mongo_ports
from .api import bulk, draw, enrollments, roster
from .api.common import PORTS


def _guard_api_request() -> None:
    if not request.path.startswith("/api/v1/"):
        return
    # Every enrollment endpoint needs a caller: answer 401 before looking at the body.
    current_principal()
    if request.content_length and not request.is_json:
        raise ApiError(415, "Send the request body as application/json.",
                       code="unsupported_media_type")


def create_app(config: dict | None = None) -> Flask:
    """Build the enrollment API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("enrollment", config)
    app, _api = create_service_app(
        settings, title="Meridian enrollment",
        blueprints=[enrollments.blp, bulk.blp, roster.blp, draw.blp],
        readiness={"kafka": KafkaProbe(settings)})
    app.before_request(_guard_api_request)
    ensure_indexes()
    # A place may be held as long as a keyed request's claim: then a retry can take both over.
    app.extensions[PORTS] = mongo_ports(lease_for(settings.upstream_timeout_seconds))
    return app
