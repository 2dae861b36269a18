"""Classroom app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence import db, idempotency
from meridian_common.web.app import create_service_app

from .api import (
    calendar,
    hooks,
    join,
    meeting_provider,
    offering_sessions,
    sessions,
    slots,
    timetable,
)
from .config import load_classroom_config
from .models import ALL_DOCUMENTS


def create_app(config: dict | None = None) -> Flask:
    """Build the classroom API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("classroom", config)
    app, _api = create_service_app(
        settings, title="Meridian classroom",
        blueprints=[offering_sessions.blp, sessions.blp, join.blp, timetable.blp, calendar.blp,
                    slots.blp, meeting_provider.blp, hooks.blp],
        readiness={"kafka": KafkaProbe(settings)},
    )
    app.extensions["meridian.classroom"] = load_classroom_config(settings)
    db.ensure_indexes(*ALL_DOCUMENTS)
    idempotency.ensure_indexes()
    return app
