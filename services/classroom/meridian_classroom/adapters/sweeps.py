"""Periodic clean-up FerretDB needs a process for: it has no TTL indexes."""

from __future__ import annotations

import logging
import threading

from meridian_common.persistence import idempotency

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 600.0


def purge_idempotency_keys(stop: threading.Event) -> None:
    """Worker task: drop expired idempotency answers now and every INTERVAL_SECONDS."""
    while not stop.is_set():
        try:
            purged = idempotency.purge_expired()
            if purged:
                log.info("purged %d expired idempotency keys", purged)
        except Exception:  # a failed pass is retried on the next round; the worker stays up
            log.exception("idempotency purge failed")
        stop.wait(INTERVAL_SECONDS)
