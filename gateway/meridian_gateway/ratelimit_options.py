"""Rate-limit settings (MERIDIAN_RATE_LIMIT_*), checked when the gateway starts."""

from __future__ import annotations

from dataclasses import dataclass

from limits import parse_many
from limits.strategies import STRATEGIES

from meridian_common.config import Settings

from .options import raw_option

# Per verified user: a person clicking through the portal stays far below; a script looping
# over the API does not.
DEFAULT_PER_USER = "20/second;600/minute"
# Per address, for requests without a valid token (the public catalog, floods of bad tokens).
# Verified users are not counted per address: a campus network puts thousands of students
# behind one NAT address, and they all enroll on the same morning.
DEFAULT_PER_ADDRESS = "30/second;1200/minute"
# Enrollment POSTs per user: a student enrolls in a handful of offerings; a bot retries.
DEFAULT_ENROLLMENT = "10/minute;60/hour"
# Bulk enrollment POSTs per user: each queues up to 1000 enrollments for the worker, so a few
# a minute fill an institution's offerings while 18 parallel calls can no longer starve it.
DEFAULT_BULK = "5/minute;100/hour"
# Short socket timeouts: a slow or unreachable Redis must cost each request milliseconds
# before the in-memory fallback takes over.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def _limit(settings: Settings, name: str, default: str) -> str:
    value = raw_option(settings, f"rate_limit_{name}", f"MERIDIAN_RATE_LIMIT_{name.upper()}")
    value = default if value is None else value.strip()
    try:
        if value:
            parse_many(value)
    except ValueError as exc:
        raise ValueError(f"MERIDIAN_RATE_LIMIT_{name.upper()} is not a rate limit such as "
                         f"'10/second;600/minute': {value!r}") from exc
    return value


@dataclass(frozen=True)
class RateLimitOptions:
    """Where counters live, how they are counted, and the four limits (empty = none)."""

    enabled: bool
    storage_uri: str
    storage_options: dict
    strategy: str
    key_prefix: str
    per_user: str
    per_address: str
    enrollment: str
    bulk: str = DEFAULT_BULK

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimitOptions:
        """Resolve and validate; a typo in a limit stops the gateway at start, not later."""

        def raw(name: str, default: str) -> str:
            value = raw_option(settings, f"rate_limit_{name}",
                               f"MERIDIAN_RATE_LIMIT_{name.upper()}")
            return default if value is None or not value.strip() else value.strip()

        storage = raw("storage", "memory://")
        strategy = raw("strategy", "sliding-window-counter")
        if strategy not in STRATEGIES:
            raise ValueError(f"MERIDIAN_RATE_LIMIT_STRATEGY must be one of {sorted(STRATEGIES)}")
        return cls(
            enabled=raw("enabled", "1").lower() in {"1", "true", "yes", "on"},
            storage_uri=storage,
            storage_options=dict(REDIS_TIMEOUTS) if storage.startswith("redis") else {},
            strategy=strategy,
            key_prefix=raw("key_prefix", "meridian"),
            per_user=_limit(settings, "default", DEFAULT_PER_USER),
            per_address=_limit(settings, "ip", DEFAULT_PER_ADDRESS),
            enrollment=_limit(settings, "enrollment", DEFAULT_ENROLLMENT),
            bulk=_limit(settings, "bulk", DEFAULT_BULK),
        )
