"""Catalog app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence import idempotency
from meridian_common.web.app import create_service_app

from .adapters.wiring import ensure_indexes, mongo_ports
from .api import courses, institutions, invitations, offerings
from .api.common import PORTS_KEY


def create_app(config: dict | None = None) -> Flask:
    """Build the catalog API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("catalog", config)
    app, _api = create_service_app(
        settings, title="Meridian catalog",
        blueprints=[institutions.blp, courses.blp, offerings.blp, invitations.blp],
        readiness={"kafka": KafkaProbe(settings)},
    )
    ensure_indexes()
    idempotency.ensure_indexes()
    app.extensions[PORTS_KEY] = mongo_ports()
    return app
