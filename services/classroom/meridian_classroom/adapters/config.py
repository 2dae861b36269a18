"""Classroom-only settings (meeting providers, public URL), read from Settings.extra or MERIDIAN_*.

`create_app(config)` overrides land in `Settings.extra`, so tests can point one app instance at
a private BigBlueButton stand-in without touching the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from meridian_common.config import Settings

from ..domain.session import PROVIDERS


@dataclass(frozen=True)
class ClassroomConfig:
    """Where the public API lives and how to reach the meeting providers."""

    public_url: str
    default_provider: str
    bbb_url: str
    bbb_secret: str
    bbb_webhook_url: str
    bbb_timeout_seconds: float
    jitsi_domain: str
    jitsi_app_id: str
    jitsi_secret: str

    @property
    def bbb_configured(self) -> bool:
        """True when a BigBlueButton server and its shared secret are known."""
        return bool(self.bbb_url and self.bbb_secret)

    @property
    def jitsi_signed(self) -> bool:
        """True when the Jitsi deployment checks tokens, so rooms admit only whom we sign."""
        return bool(self.jitsi_app_id and self.jitsi_secret)


def _pick(settings: Settings, key: str, default: str = "") -> str:
    value = settings.extra.get(key)
    if value is None:
        value = os.environ.get(f"MERIDIAN_{key.upper()}", default)
    return str(value)


def load_classroom_config(settings: Settings) -> ClassroomConfig:
    """The classroom's own settings; the public URL defaults to the gateway's."""
    public = _pick(settings, "public_url") or _pick(settings, "gateway_url",
                                                    "http://127.0.0.1:8080")
    provider = _pick(settings, "meeting_provider", "jitsi")
    if provider not in PROVIDERS:
        raise ValueError(f"MERIDIAN_MEETING_PROVIDER must be one of {', '.join(PROVIDERS)}")
    return ClassroomConfig(
        public_url=public.rstrip("/"),
        default_provider=provider,
        bbb_url=_pick(settings, "bbb_url"),
        bbb_secret=_pick(settings, "bbb_secret"),
        bbb_webhook_url=_pick(settings, "bbb_webhook_url"),
        bbb_timeout_seconds=float(_pick(settings, "bbb_timeout_seconds", "3")),
        jitsi_domain=_pick(settings, "jitsi_domain", "meet.jit.si"),
        jitsi_app_id=_pick(settings, "jitsi_app_id"),
        jitsi_secret=_pick(settings, "jitsi_secret"),
    )
