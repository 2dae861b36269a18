"""`python -m meridian_enrollment.worker`: outbox relay, catalog consumer and repair sweep."""

from __future__ import annotations

import sys

from meridian_common.config import load_settings
from meridian_common.events.topics import CATALOG
from meridian_common.ids import new_id
from meridian_common.messaging.tasks import periodic, purge_idempotency_keys
from meridian_common.messaging.worker import WorkerSpec, run_worker

from .adapters.documents import OUTBOX_COLLECTIONS
from .adapters.legacy import migrate_ledgers
from .adapters.wiring import ensure_indexes, mongo_ports
from .application.jobs import run_pending
from .application.repair import repairs
from .events.handlers import handlers

# How soon a submitted bulk job starts: the API answers 202 and clients poll the job.
JOB_POLL_SECONDS = 0.5


def build_spec() -> WorkerSpec:
    """What the enrollment worker relays, consumes and repairs."""
    ports = mongo_ports()
    owner = new_id("worker")
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="enrollment",
                      topics=[CATALOG], handlers=handlers(ports),
                      on_start=[ensure_indexes, migrate_ledgers],
                      tasks=[repairs(ports), purge_idempotency_keys,
                             periodic("bulk_enrollment_jobs", JOB_POLL_SECONDS,
                                      lambda: run_pending(ports, owner))])


def main() -> int:
    """Run the worker until it is told to stop."""
    return run_worker(load_settings("enrollment"), build_spec())


if __name__ == "__main__":
    sys.exit(main())
