"""Notifications app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence import db
from meridian_common.web.app import create_service_app

from .adapters.config import load_notifications_config
from .adapters.documents import ALL_DOCUMENTS
from .adapters.wiring import mongo_ports
from .api import errors, failures, inbox, preferences, unsubscribe
from .api.common import PORTS

BLUEPRINTS = [preferences.blp, inbox.blp, unsubscribe.blp, failures.blp]


def create_app(config: dict | None = None) -> Flask:
    """Build the notifications API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("notifications", config)
    app, _api = create_service_app(settings, title="Meridian notifications",
                                   blueprints=BLUEPRINTS,
                                   readiness={"kafka": KafkaProbe(settings)})
    app.extensions[PORTS] = mongo_ports(load_notifications_config(settings))
    errors.register(app)
    db.ensure_indexes(*ALL_DOCUMENTS)
    return app
