"""Notifications-only settings (SMTP relay, public URL, unsubscribe secret), from MERIDIAN_*.

`create_app(config)` overrides land in `Settings.extra`, so a test can point one app at its
own mail server; otherwise each value comes from `MERIDIAN_<KEY>` (see docs/notifications.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from meridian_common.config import Settings

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class NotificationsConfig:
    """Where mail goes and how links in it point back to Meridian."""

    public_url: str
    unsubscribe_secret: str
    smtp_host: str
    smtp_port: int
    smtp_starttls: bool
    smtp_ssl: bool
    smtp_user: str
    smtp_password: str
    smtp_timeout_seconds: float
    mail_from: str

    @property
    def smtp_login(self) -> bool:
        """True when the relay wants credentials."""
        return bool(self.smtp_user)


# Spelled out, so deploy checks (tests/deploy/test_configuration.py) see every name read.
_ENVIRONMENT = {
    "public_url": "MERIDIAN_PUBLIC_URL", "gateway_url": "MERIDIAN_GATEWAY_URL",
    "unsubscribe_secret": "MERIDIAN_UNSUBSCRIBE_SECRET", "smtp_host": "MERIDIAN_SMTP_HOST",
    "smtp_port": "MERIDIAN_SMTP_PORT", "smtp_starttls": "MERIDIAN_SMTP_STARTTLS",
    "smtp_ssl": "MERIDIAN_SMTP_SSL", "smtp_user": "MERIDIAN_SMTP_USER",
    "smtp_password": "MERIDIAN_SMTP_PASSWORD",
    "smtp_timeout_seconds": "MERIDIAN_SMTP_TIMEOUT_SECONDS", "mail_from": "MERIDIAN_MAIL_FROM",
}


def _pick(settings: Settings, key: str, default: str = "") -> str:
    value = settings.extra.get(key)
    if value is None:
        value = os.environ.get(_ENVIRONMENT[key], default)
    return str(value)


def load_notifications_config(settings: Settings, *,
                              require_secret: bool = True) -> NotificationsConfig:
    """The service's own settings; refuses to start without an unsubscribe secret unless
    `require_secret` is off (the ops CLI reads the worker's definition, never sends mail)."""
    secret = _pick(settings, "unsubscribe_secret")
    if not secret and require_secret:
        raise ValueError("MERIDIAN_UNSUBSCRIBE_SECRET must be set (it signs unsubscribe links)")
    public = _pick(settings, "public_url") or _pick(settings, "gateway_url",
                                                    "http://127.0.0.1:8080")
    return NotificationsConfig(
        public_url=public.rstrip("/"),
        unsubscribe_secret=secret,
        smtp_host=_pick(settings, "smtp_host", "127.0.0.1"),
        smtp_port=int(_pick(settings, "smtp_port", "1025")),
        smtp_starttls=_pick(settings, "smtp_starttls", "false").lower() in _TRUE,
        smtp_ssl=_pick(settings, "smtp_ssl", "false").lower() in _TRUE,
        smtp_user=_pick(settings, "smtp_user"),
        smtp_password=_pick(settings, "smtp_password"),
        smtp_timeout_seconds=float(_pick(settings, "smtp_timeout_seconds", "10")),
        mail_from=_pick(settings, "mail_from", "Meridian <no-reply@meridian.localhost>"),
    )
