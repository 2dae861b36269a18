"""`python -m meridian_catalog.worker`: the catalog's outbox relay and event consumer."""

from __future__ import annotations

import sys

from meridian_common.config import load_settings
from meridian_common.events.topics import CATALOG, ENROLLMENT
from meridian_common.messaging.tasks import purge_idempotency_keys
from meridian_common.messaging.worker import WorkerSpec, run_worker

from .adapters.documents import OUTBOX_COLLECTIONS
from .adapters.wiring import ensure_indexes, mongo_ports, restore_cards
from .events.handlers import build_after_batch, build_handlers


def build_spec() -> WorkerSpec:
    """What the catalog worker relays, consumes (recounting seats after each batch) and
    sweeps."""
    ports = mongo_ports()
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="catalog",
                      topics=[ENROLLMENT, CATALOG], handlers=build_handlers(ports),
                      after_batch=build_after_batch(ports),
                      on_start=[ensure_indexes, restore_cards], tasks=[purge_idempotency_keys])


def main() -> int:
    """Run the worker until it is told to stop."""
    return run_worker(load_settings("catalog"), build_spec())


if __name__ == "__main__":
    sys.exit(main())
