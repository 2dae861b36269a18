"""`python -m meridian_notifications.worker`: the notifications consumer, relay and jobs."""

from __future__ import annotations

import sys

from meridian_common.config import Settings, load_settings
from meridian_common.events.topics import CATALOG, CLASSROOM, ENROLLMENT
from meridian_common.messaging.tasks import periodic
from meridian_common.messaging.worker import WorkerSpec, run_worker
from meridian_common.persistence import db

from .adapters.config import load_notifications_config
from .adapters.delivery_tasks import scheduler_task, sender_task
from .adapters.delivery_wiring import mongo_delivery
from .adapters.documents import ALL_DOCUMENTS, OUTBOX_COLLECTIONS
from .adapters.metrics import measure_queue
from .adapters.wiring import mongo_ports
from .events.handlers import build_handlers

QUEUE_GAUGE_SECONDS = 15.0


def build_spec(settings: Settings | None = None) -> WorkerSpec:
    """What the notifications worker consumes and runs beside the consumer."""
    # The ops CLI reads this definition too, in processes that hold no unsubscribe secret.
    config = load_notifications_config(settings or load_settings("notifications"),
                                       require_secret=False)
    ports, delivery = mongo_ports(config), mongo_delivery(config)
    gauge = periodic("measure_queue", QUEUE_GAUGE_SECONDS,
                     lambda: measure_queue(ports.notifications, ports.clock) and None)
    return WorkerSpec(outbox_collections=OUTBOX_COLLECTIONS, consumer_group="notifications",
                      topics=[CATALOG, ENROLLMENT, CLASSROOM], handlers=build_handlers(delivery),
                      on_start=[lambda: db.ensure_indexes(*ALL_DOCUMENTS)],
                      tasks=[gauge, sender_task(delivery), scheduler_task(delivery)])


def main() -> int:
    """Run the worker until it is told to stop."""
    settings = load_settings("notifications")
    load_notifications_config(settings)  # no unsubscribe secret: refuse to send any mail
    return run_worker(settings, build_spec(settings))


if __name__ == "__main__":
    sys.exit(main())
