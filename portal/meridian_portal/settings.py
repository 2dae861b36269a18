"""The portal's configuration, read from MERIDIAN_* environment variables or overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

_DEV_SECRET = "meridian-local-portal-secret"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"MERIDIAN_{name}", default)


def _flag(name: str) -> bool:
    return _env(name, "0").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class PortalSettings:
    """Where the API and the session store are, how users sign in, and the secret key."""

    profile: str = "local"
    api_url: str = "http://127.0.0.1:8080"
    session_redis_url: str = "redis://127.0.0.1:6379/1"
    secret_key: str = ""
    dev_auth: bool = False
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email offline_access"
    session_hours: int = 12
    api_timeout_seconds: float = 10.0
    secure_cookies: bool = False

    @classmethod
    def load(cls, overrides: dict | None = None) -> PortalSettings:
        """Settings from the environment, then `overrides` (unknown keys are an error)."""
        profile = _env("PROFILE", "local")
        settings = cls(
            profile=profile,
            api_url=_env("PORTAL_API_URL", _env("GATEWAY_URL", cls.api_url)).rstrip("/"),
            session_redis_url=_env("PORTAL_SESSION_REDIS_URL", cls.session_redis_url),
            secret_key=_env("PORTAL_SECRET_KEY"),
            dev_auth=_flag("DEV_AUTH"),
            oidc_issuer=_env("OIDC_ISSUER").rstrip("/"),
            oidc_client_id=_env("OIDC_CLIENT_ID"),
            oidc_client_secret=_env("OIDC_CLIENT_SECRET"),
            oidc_scopes=_env("OIDC_SCOPES", cls.oidc_scopes),
            session_hours=int(_env("PORTAL_SESSION_HOURS", "12")),
            api_timeout_seconds=float(_env("PORTAL_API_TIMEOUT_SECONDS", "10")),
            secure_cookies=_flag("PORTAL_SECURE_COOKIES") or profile == "production",
        )
        if overrides:
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(overrides) - known)
            if unknown:
                raise ValueError(f"unknown portal settings: {unknown}")
            settings = replace(settings, **overrides)
        return settings.checked()

    def checked(self) -> PortalSettings:
        """Refuse unsafe combinations; give the dev stack a fixed secret so workers agree."""
        if self.profile == "production":
            if self.dev_auth:
                raise RuntimeError("dev auth must not be switched on in the production profile")
            if len(self.secret_key) < 32:
                raise RuntimeError("MERIDIAN_PORTAL_SECRET_KEY must hold at least 32 characters")
        if not self.secret_key:
            if not self.dev_auth:
                raise RuntimeError("MERIDIAN_PORTAL_SECRET_KEY is not set")
            return replace(self, secret_key=_DEV_SECRET)
        return self

    @property
    def oidc_enabled(self) -> bool:
        """True when an OpenID Connect issuer and client are configured."""
        return bool(self.oidc_issuer and self.oidc_client_id)
