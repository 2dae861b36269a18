"""Gateway-only settings, read from overrides (`create_app(config)`) or MERIDIAN_GATEWAY_*."""

from __future__ import annotations

import os
from dataclasses import dataclass

from meridian_common.config import Settings

UNBOUNDED_INFLIGHT = 10_000


def _raw(settings: Settings, name: str) -> str | None:
    if name in settings.extra:
        return str(settings.extra[name])
    return os.environ.get(f"MERIDIAN_GATEWAY_{name.upper()}")


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


@dataclass(frozen=True)
class GatewayOptions:
    """Knobs the shared Settings don't carry; every one has a working default."""

    ready_upstreams: tuple[str, ...]
    upstream_max_inflight: int
    connect_timeout_seconds: float
    read_timeout_seconds: float
    openapi_cache_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> GatewayOptions:
        """Resolve the options, failing early on names of upstreams that don't exist."""
        ready = _names(_raw(settings, "ready_upstreams"), tuple(settings.upstreams))
        unknown = sorted(set(ready) - set(settings.upstreams))
        if unknown:
            raise ValueError(f"MERIDIAN_GATEWAY_READY_UPSTREAMS names unknown services: {unknown}")
        inflight = int(_raw(settings, "upstream_max_inflight") or _default_inflight())
        read_timeout = settings.upstream_timeout_seconds
        connect = float(_raw(settings, "connect_timeout_seconds") or min(2.0, read_timeout))
        return cls(
            ready_upstreams=ready,
            upstream_max_inflight=max(1, inflight),
            connect_timeout_seconds=connect,
            read_timeout_seconds=read_timeout,
            openapi_cache_seconds=float(_raw(settings, "openapi_cache_seconds") or 30),
        )
