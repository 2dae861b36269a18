"""Rate-limit counters (the `limits` library) in shared storage, with a per-worker fallback.

When the shared storage (Redis) cannot be reached, each worker counts in its own memory and
asks the storage again after `retry_seconds`: availability beats exact limits for a while.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from limits import RateLimitItem
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import STRATEGIES, RateLimiter

log = logging.getLogger(__name__)


class Counters:
    """Counts hits of rate-limit items under identifiers, in storage or, while it is down,
    in memory."""

    def __init__(self, storage_uri: str, storage_options: dict, strategy: str, *,
                 retry_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self._shared = STRATEGIES[strategy](storage_from_string(storage_uri, **storage_options))
        self._memory = STRATEGIES[strategy](MemoryStorage())
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._down_until = 0.0

    def _limiter(self) -> RateLimiter:
        if self._down_until and self._clock() >= self._down_until:
            self._down_until = 0.0
            log.info("Rate limit storage: trying it again")
        return self._memory if self._down_until else self._shared

    def _storage_failed(self) -> None:
        if not self._down_until:
            log.warning("Rate limit storage unreachable - falling back to in-memory storage",
                        exc_info=True)
        self._down_until = self._clock() + self._retry_seconds

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one hit; False when it is over the limit."""
        limiter = self._limiter()
        if limiter is self._shared:
            try:
                return limiter.hit(item, *identifiers)
            except Exception:  # any storage failure (refused, timeout, script error)
                self._storage_failed()
        return self._memory.hit(item, *identifiers)

    def reset_at(self, item: RateLimitItem, *identifiers: str) -> float:
        """When the window of a refused hit frees up again (epoch seconds)."""
        limiter = self._limiter()
        try:
            return limiter.get_window_stats(item, *identifiers).reset_time
        except Exception:  # a refusal must still be answered, even if storage just went away
            self._storage_failed()
            return self._memory.get_window_stats(item, *identifiers).reset_time
