"""Gateway-only settings, read from overrides (`create_app(config)`) or MERIDIAN_GATEWAY_*."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from meridian_common.config import Settings

UNBOUNDED_INFLIGHT = 10_000
ONE_YEAR = 365 * 24 * 3600
PORTAL_ROUNDS = 3


def raw_option(settings: Settings, name: str, env: str | None = None) -> str | None:
    """An override from `create_app(config)`, else the environment variable (or None)."""
    if name in settings.extra:
        return str(settings.extra[name])
    return os.environ.get(env or f"MERIDIAN_GATEWAY_{name.upper()}")


def _names(raw: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    if raw.strip().lower() in {"", "none"}:
        return ()
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _default_inflight() -> int:
    # Only a thread pool can be starved: keep two of its threads for the other services.
    # gunicorn runs "sync" with more than one thread as gthread, hence both names.
    worker_class = os.environ.get("MERIDIAN_WORKER_CLASS", "gthread")
    threads = int(os.environ.get("MERIDIAN_THREADS", "8"))
    if worker_class in {"gthread", "sync"} and threads > 1:
        return max(1, threads - 2)
    return UNBOUNDED_INFLIGHT


def _is_origin(value: str) -> bool:
    parts = urlsplit(value)
    return (parts.scheme in {"http", "https"} and bool(parts.netloc)
            and not (parts.path or parts.query or parts.fragment))


def _origins(raw: str | None) -> tuple[str, ...]:
    origins = _names(raw, ())
    wrong = [o for o in origins if o != "*" and not _is_origin(o)]
    if wrong:
        raise ValueError(f"MERIDIAN_CORS_ORIGINS wants origins like https://portal.example.edu "
                         f"(scheme and host, no path): {wrong}")
    return origins


@dataclass(frozen=True)
class GatewayOptions:
    """Knobs the shared Settings don't carry; every one has a working default."""

    ready_upstreams: tuple[str, ...]
    upstream_max_inflight: int
    connect_timeout_seconds: float
    read_timeout_seconds: float
    portal_timeout_seconds: float
    openapi_cache_seconds: float
    breaker_failures: int
    breaker_open_seconds: float
    trusted_proxies: int
    cors_origins: tuple[str, ...]
    hsts_seconds: int
    token_cache_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> GatewayOptions:
        """Resolve the options, failing early on names of upstreams that don't exist."""
        ready = _names(raw_option(settings, "ready_upstreams"), tuple(settings.upstreams))
        unknown = sorted(set(ready) - set(settings.upstreams))
        if unknown:
            raise ValueError(f"MERIDIAN_GATEWAY_READY_UPSTREAMS names unknown services: {unknown}")
        inflight = int(raw_option(settings, "upstream_max_inflight") or _default_inflight())
        read_timeout = settings.upstream_timeout_seconds
        connect = float(raw_option(settings, "connect_timeout_seconds") or min(2.0, read_timeout))
        # Browsers ignore HSTS on plain http, so production always sends it; elsewhere only
        # when asked (a developer's http://127.0.0.1 must not be pinned to https).
        hsts_default = ONE_YEAR if settings.profile == "production" else 0
        return cls(
            ready_upstreams=ready,
            upstream_max_inflight=max(1, inflight),
            connect_timeout_seconds=connect,
            read_timeout_seconds=read_timeout,
            # A page makes a few rounds of API calls, each allowed the API's timeout: cutting the
            # page off sooner turns the portal's own "try again" page into a bare 504.
            portal_timeout_seconds=float(raw_option(settings, "portal_timeout_seconds")
                                         or PORTAL_ROUNDS * read_timeout),
            openapi_cache_seconds=float(raw_option(settings, "openapi_cache_seconds") or 30),
            breaker_failures=max(1, int(raw_option(settings, "breaker_failures") or 5)),
            breaker_open_seconds=float(raw_option(settings, "breaker_open_seconds") or 10),
            trusted_proxies=int(raw_option(settings, "trusted_proxies") or 0),
            cors_origins=_origins(raw_option(settings, "cors_origins", "MERIDIAN_CORS_ORIGINS")),
            hsts_seconds=int(raw_option(settings, "hsts_seconds") or hsts_default),
            token_cache_seconds=float(raw_option(settings, "token_cache_seconds") or 60),
        )
