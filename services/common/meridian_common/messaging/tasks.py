"""Worker tasks every service runs: periodic jobs standing in for what FerretDB lacks (TTL)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..persistence import idempotency

log = logging.getLogger(__name__)
Task = Callable[[threading.Event], None]
PURGE_EVERY_SECONDS = 600.0


def periodic(name: str, seconds: float, job: Callable[[], object]) -> Task:
    """A worker task running `job` now and every `seconds` until stopped; failures are logged."""

    def task(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                done = job()
                if done:
                    log.info("%s: %s", name, done)
            except Exception:  # an outage must not end the worker; the next round retries
                log.warning("%s failed; will retry", name, exc_info=True)
            stop.wait(seconds)

    task.__name__ = name
    return task


# MongoDB expires the keys through the TTL index; FerretDB has none, so every worker purges.
purge_idempotency_keys = periodic("purge_idempotency_keys", PURGE_EVERY_SECONDS,
                                  idempotency.purge_expired)
