"""Configuration read from the environment, with documented defaults (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_PORTS = {"gateway": 8080, "catalog": 8101, "enrollment": 8102, "classroom": 8103,
                 "notifications": 8104}


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MERIDIAN_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(f"MERIDIAN_{name}")
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _env(name, default).split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything a service or worker needs to know about its surroundings."""

    service: str
    profile: str = "local"
    mongo_uri: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = ""
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    jwt_issuer: str = "meridian-dev"
    jwt_audience: str = "meridian"
    jwt_algorithms: tuple[str, ...] = ("RS256",)
    jwt_jwks_url: str = ""
    jwt_public_key_file: str = ""
    jwt_leeway_seconds: int = 30
    jwt_jwks_cache_seconds: float = 300
    jwt_jwks_refresh_cooldown_seconds: float = 30
    dev_auth: bool = False
    dev_auth_private_key_file: str = ""
    dev_token_ttl_seconds: int = 3600
    max_body_bytes: int = 1024 * 1024
    log_level: str = "INFO"
    relay_poll_seconds: float = 0.05
    # "host:port" of this service's worker, which API processes nudge over UDP when they store
    # events (messaging/relay_nudge.py); empty: no nudges, the relay only polls.
    relay_nudge_address: str = ""
    # The relay finds events by time alone (one query a round) instead of by slot (one query
    # per second of writes): for FerretDB on SQLite, where every query scans (ADR 0002).
    relay_find_by_time: bool = False
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    consumer_exit_after_failures: int = 20
    # A batch handled for longer than this makes its member leave the group, so its partitions
    # move on; its commit then fails and the batch is delivered again (and skipped as handled).
    consumer_max_poll_interval_seconds: float = 300.0
    upstreams: dict[str, str] = field(default_factory=dict)
    upstream_timeout_seconds: float = 5.0
    extra: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, overrides: dict | None) -> Settings:
        """Return a copy with the given fields replaced (unknown keys go to `extra`)."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        direct = {k: v for k, v in overrides.items() if k in known}
        extra = {**self.extra, **{k: v for k, v in overrides.items() if k not in known}}
        return replace(self, **direct, extra=extra)

    def topic(self, name: str) -> str:
        """Physical topic name for a logical one, honouring the test prefix."""
        return f"{self.topic_prefix}{name}"


def load_settings(service: str, overrides: dict | None = None) -> Settings:
    """Build settings for `service` from MERIDIAN_* environment variables."""
    upstreams = {
        name: _env(f"{name.upper()}_URL", f"http://127.0.0.1:{port}")
        for name, port in DEFAULT_PORTS.items()
        if name != "gateway"
    }
    nudge_address = _env("RELAY_NUDGE_ADDRESS", "").strip()
    settings = Settings(
        service=service,
        profile=_env("PROFILE", "local"),
        mongo_uri=_env("MONGO_URI", "mongodb://127.0.0.1:27017/"),
        mongo_db=_env(f"{service.upper()}_DB", f"meridian_{service}"),
        kafka_bootstrap=_env("KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        topic_prefix=_env("TOPIC_PREFIX", ""),
        jwt_issuer=_env("JWT_ISSUER", "meridian-dev"),
        jwt_audience=_env("JWT_AUDIENCE", "meridian"),
        jwt_algorithms=_env_list("JWT_ALGORITHMS", "RS256"),
        jwt_jwks_url=_env("JWT_JWKS_URL", ""),
        jwt_public_key_file=_env("JWT_PUBLIC_KEY_FILE", ""),
        dev_auth=_env_bool("DEV_AUTH", False),
        dev_auth_private_key_file=_env("DEV_AUTH_PRIVATE_KEY_FILE", ""),
        dev_token_ttl_seconds=int(_env("DEV_TOKEN_TTL_SECONDS", "3600")),
        max_body_bytes=int(_env("MAX_BODY_BYTES", str(1024 * 1024))),
        log_level=_env("LOG_LEVEL", "INFO"),
        upstreams=upstreams,
        upstream_timeout_seconds=float(_env("UPSTREAM_TIMEOUT_SECONDS", "5")),
        relay_nudge_address=nudge_address,
        # Nudged, the relay's poll only backs up lost nudges and late writes: it can be slow.
        relay_poll_seconds=float(_env("RELAY_POLL_SECONDS", "0.25" if nudge_address else "0.05")),
        relay_find_by_time=_env("RELAY_FIND_BY", "slot") == "time",
        consumer_max_poll_interval_seconds=float(_env("CONSUMER_MAX_POLL_INTERVAL_SECONDS",
                                                      "300")),
    )
    return settings.with_overrides(overrides)
