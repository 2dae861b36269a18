"""Sweeps that stand in for TTL indexes, which FerretDB does not have."""

from __future__ import annotations

import logging
import threading

from meridian_common.persistence import idempotency

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 600.0


def purge_idempotency_keys(stop: threading.Event) -> None:
    """Delete expired Idempotency-Key records now and every PURGE_EVERY_SECONDS until `stop`."""
    while True:
        removed = idempotency.purge_expired()
        if removed:
            log.info("purged %d expired idempotency keys", removed)
        if stop.wait(PURGE_EVERY_SECONDS):
            return
