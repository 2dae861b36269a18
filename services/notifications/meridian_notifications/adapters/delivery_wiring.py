"""The delivery pipeline's ports on MongoDB and SMTP (the worker connects the database)."""

from __future__ import annotations

import os

from ..application.delivery_ports import Delivery
from .config import NotificationsConfig
from .delivery_store import BatchedNotifications, BatchedReminders
from .preferences import MongoPreferences
from .readmodels import MongoDirectory
from .rendering import TemplateRenderer
from .replans import MongoReplans
from .smtp import SmtpMailer
from .wiring import SystemClock

# Parallel SMTP connections of one sender; each carries a share of every batch.
DEFAULT_CONNECTIONS = 4


def mongo_delivery(config: NotificationsConfig, clock=None) -> Delivery:
    """Delivery on MongoDB and the configured SMTP relay."""
    connections = int(os.environ.get("MERIDIAN_SMTP_CONNECTIONS", DEFAULT_CONNECTIONS))
    return Delivery(directory=MongoDirectory(), preferences=MongoPreferences(),
                    outbox=BatchedNotifications(), reminders=BatchedReminders(),
                    renderer=TemplateRenderer(),
                    mailers=[SmtpMailer(config) for _ in range(max(1, connections))],
                    clock=clock or SystemClock(), public_url=config.public_url,
                    mail_from=config.mail_from, unsubscribe_secret=config.unsubscribe_secret,
                    replans=MongoReplans())
