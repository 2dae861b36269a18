"""`python -m meridian_classroom.worker`: the classroom outbox relay and event consumer."""

from __future__ import annotations

import sys

from meridian_common.config import Settings, load_settings
from meridian_common.events.topics import CATALOG, ENROLLMENT
from meridian_common.messaging.tasks import purge_idempotency_keys
from meridian_common.messaging.worker import WorkerSpec, run_worker
from meridian_common.persistence import db

from .adapters.config import load_classroom_config
from .adapters.documents import ALL_DOCUMENTS, OUTBOX_COLLECTIONS, drop_retired_collections
from .adapters.wiring import mongo_classroom
from .application.rooms import assign_missing_rooms
from .events.handlers import handlers


def build_spec(settings: Settings | None = None) -> WorkerSpec:
    """What the classroom worker relays and consumes."""
    app = mongo_classroom(load_classroom_config(settings or load_settings("classroom")))
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="classroom",
                      topics=[CATALOG, ENROLLMENT], handlers=handlers(app),
                      on_start=[lambda: db.ensure_indexes(*ALL_DOCUMENTS),
                                drop_retired_collections, lambda: assign_missing_rooms(app)],
                      tasks=[purge_idempotency_keys])


def main() -> int:
    """Run the worker until it is told to stop."""
    settings = load_settings("classroom")
    return run_worker(settings, build_spec(settings))


if __name__ == "__main__":
    sys.exit(main())
