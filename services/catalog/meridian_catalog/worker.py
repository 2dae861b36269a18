"""`python -m meridian_catalog.worker`: the catalog's outbox relay and event consumer."""

from __future__ import annotations

import sys

from meridian_common.config import load_settings
from meridian_common.events.topics import ENROLLMENT
from meridian_common.messaging.tasks import purge_idempotency_keys
from meridian_common.messaging.worker import WorkerSpec, run_worker
from meridian_common.persistence import db

from .events.handlers import HANDLERS
from .models import ALL_DOCUMENTS, OUTBOX_COLLECTIONS


def build_spec() -> WorkerSpec:
    """What the catalog worker relays and consumes."""
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="catalog",
                      topics=[ENROLLMENT], handlers=HANDLERS,
                      on_start=[lambda: db.ensure_indexes(*ALL_DOCUMENTS)],
                      tasks=[purge_idempotency_keys])


def main() -> int:
    """Run the worker until it is told to stop."""
    return run_worker(load_settings("catalog"), build_spec())


if __name__ == "__main__":
    sys.exit(main())
