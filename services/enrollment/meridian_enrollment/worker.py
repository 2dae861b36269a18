"""`python -m meridian_enrollment.worker`: outbox relay, catalog consumer and repair sweep."""

from __future__ import annotations

import sys

from meridian_common.config import load_settings
from meridian_common.events.topics import CATALOG
from meridian_common.messaging.tasks import purge_idempotency_keys
from meridian_common.messaging.worker import WorkerSpec, run_worker
from meridian_common.persistence import db, idempotency

from .actions.listing import backfill_student_index
from .actions.repair import run_repairs
from .events.handlers import HANDLERS
from .models import ALL_DOCUMENTS, OUTBOX_COLLECTIONS


def _prepare_database() -> None:
    db.ensure_indexes(*ALL_DOCUMENTS)
    idempotency.ensure_indexes()
    backfill_student_index()


def build_spec() -> WorkerSpec:
    """What the enrollment worker relays, consumes and repairs."""
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="enrollment",
                      topics=[CATALOG], handlers=HANDLERS, on_start=[_prepare_database],
                      tasks=[run_repairs, purge_idempotency_keys])


def main() -> int:
    """Run the worker until it is told to stop."""
    return run_worker(load_settings("enrollment"), build_spec())


if __name__ == "__main__":
    sys.exit(main())
