"""Classroom app factory (`create_app`), wired with Meridian's shared conventions."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import KafkaProbe
from meridian_common.persistence import db, idempotency
from meridian_common.web.app import create_service_app

from .adapters.config import load_classroom_config
from .adapters.documents import ALL_DOCUMENTS
from .adapters.wiring import mongo_classroom
from .api import (
    calendar,
    errors,
    hooks,
    join,
    meeting_provider,
    my_attendance,
    offering_sessions,
    sessions,
    slots,
    timetable,
)
from .api.common import CLASSROOM, CONFIG


def create_app(config: dict | None = None) -> Flask:
    """Build the classroom API; `config` overrides settings (tests use their own database)."""
    settings = load_settings("classroom", config)
    app, _api = create_service_app(
        settings, title="Meridian classroom",
        blueprints=[offering_sessions.blp, sessions.blp, join.blp, timetable.blp, calendar.blp,
                    slots.blp, meeting_provider.blp, hooks.blp, my_attendance.blp],
        readiness={"kafka": KafkaProbe(settings)},
    )
    classroom_config = load_classroom_config(settings)
    app.extensions[CONFIG] = classroom_config
    app.extensions[CLASSROOM] = mongo_classroom(classroom_config)
    errors.register(app)
    db.ensure_indexes(*ALL_DOCUMENTS)
    idempotency.ensure_indexes()
    return app
