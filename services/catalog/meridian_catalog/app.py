"""Catalog app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence import db, idempotency
from meridian_common.web.app import create_service_app

from .api import courses, institutions, offerings
from .models import ALL_DOCUMENTS


def create_app(config: dict | None = None) -> Flask:
    """Build the catalog API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("catalog", config)
    app, _api = create_service_app(
        settings, title="Meridian catalog",
        blueprints=[institutions.blp, courses.blp, offerings.blp],
        readiness={"kafka": KafkaProbe(settings)},
    )
    db.ensure_indexes(*ALL_DOCUMENTS)
    idempotency.ensure_indexes()
    return app
