"""The services' own OpenAPI documents, fetched in parallel and cached for a short time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger(__name__)

# A failed fetch is retried sooner than a good copy expires, so a service that comes back
# shows up in the document within seconds.
RETRY_FAILED_SECONDS = 5.0


@dataclass
class _Entry:
    spec: dict | None = None
    fetched_at: float | None = None
    ok: bool = False


class SpecCache:
    """Per-service OpenAPI documents; a service that fails keeps its last good copy."""

    def __init__(self, fetch: Callable[[str], dict], services: Iterable[str], *,
                 ttl_seconds: float, clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._entries = {name: _Entry() for name in services}
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()

    def _due(self, entry: _Entry, now: float) -> bool:
        if entry.fetched_at is None:
            return True
        return now - entry.fetched_at >= (self._ttl if entry.ok else RETRY_FAILED_SECONDS)

    def _refresh(self, name: str) -> tuple[str, dict | None]:
        try:
            spec = self._fetch(name)
        except Exception as exc:  # any failure only means this service's part is missing
            log.warning("openapi of %s unavailable: %s", name, type(exc).__name__)
            return name, None
        return name, spec

    def snapshot(self) -> tuple[dict[str, dict | None], dict[str, str]]:
        """Current documents by service, and each one's status: ok, stale or unavailable."""
        with self._lock:
            now = self._clock()
            due = [name for name, entry in self._entries.items() if self._due(entry, now)]
            if due:
                with ThreadPoolExecutor(max_workers=len(due)) as pool:
                    results = list(pool.map(self._refresh, due))
                for name, spec in results:
                    entry = self._entries[name]
                    entry.fetched_at, entry.ok = now, spec is not None
                    if spec is not None:
                        entry.spec = spec
            specs = {name: entry.spec for name, entry in self._entries.items()}
            statuses = {name: "ok" if entry.ok else ("stale" if entry.spec else "unavailable")
                        for name, entry in self._entries.items()}
        return specs, statuses
