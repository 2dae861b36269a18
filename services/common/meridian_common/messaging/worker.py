"""A service's background process: the outbox relay and the event consumer, side by side."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass, field

from prometheus_client import start_http_server

from ..config import Settings
from ..persistence import db as dbmod
from ..web.logs import configure_logging
from .consumer import INFRA_ERRORS, BatchHook, EventConsumer, Handler
from .relay import OutboxRelay
from .relay_nudge import NudgeListener, bind

log = logging.getLogger(__name__)


@dataclass
class WorkerSpec:
    """What one service's worker relays and consumes."""

    outbox_collections: list[str]
    consumer_group: str
    topics: list[str] = field(default_factory=list)
    handlers: dict[str, Handler] = field(default_factory=dict)
    after_batch: BatchHook | None = None
    on_start: list = field(default_factory=list)
    # Periodic jobs (e.g. repair sweeps), each run as `task(stop)` in its own thread.
    tasks: list = field(default_factory=list)


def _until_it_works(hook) -> None:
    """Run a start hook, waiting out an outage of the database or the broker.

    A worker (re)started during an outage used to exit at once; supervisord then spaced its
    restarts ever further apart (1 s more per attempt), so the worker came back long after
    the outage ended. Waiting here brings it back within a second of the outage's end.
    """
    pause = 0.1
    while True:
        try:
            hook()
            return
        except INFRA_ERRORS:
            log.warning("start hook %s failed; retrying", getattr(hook, "__name__", hook),
                        exc_info=True)
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def run_worker(settings: Settings, spec: WorkerSpec) -> int:
    """Run until SIGTERM/SIGINT; returns a non-zero code when a component gave up."""
    configure_logging(f"{settings.service}-worker", settings.log_level)
    database = dbmod.connect(settings)
    for hook in spec.on_start:
        _until_it_works(hook)
    metrics_port = os.environ.get("MERIDIAN_WORKER_METRICS_PORT")
    if metrics_port:
        # Containers set 0.0.0.0 so Prometheus and health probes reach the worker from outside.
        start_http_server(int(metrics_port),
                          addr=os.environ.get("MERIDIAN_WORKER_METRICS_ADDR", "127.0.0.1"))
    stop = threading.Event()
    failures: list[BaseException] = []

    def _stop(signum, _frame):
        log.info("signal %s: stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    nudges = _listen_for_nudges(settings)
    relay = OutboxRelay(settings, database, spec.outbox_collections, nudges)

    def _guard(target):
        def run():
            # Events this worker's consumer or tasks store wake its own relay.
            if nudges is not None:
                bind(nudges)
            try:
                target(stop)
            except BaseException as exc:  # any component dying takes the worker down
                log.error("worker component failed: %s", exc, exc_info=True)
                failures.append(exc)
                stop.set()
        return run

    threads = [threading.Thread(target=_guard(relay.run_forever), name="relay", daemon=True)]
    if spec.topics and spec.handlers:
        consumer = EventConsumer(settings, database, spec.consumer_group, spec.topics,
                                 spec.handlers, spec.after_batch)
        threads.append(threading.Thread(target=_guard(consumer.run_forever), name="consumer",
                                        daemon=True))
    threads.extend(threading.Thread(target=_guard(task), name=getattr(task, "__name__", "task"),
                                    daemon=True) for task in spec.tasks)
    for thread in threads:
        thread.start()
    log.info("worker started: relay=%s topics=%s", spec.outbox_collections, spec.topics)
    while not stop.wait(1.0):
        pass
    if nudges is not None:
        nudges.nudge()  # the relay waits on the socket, not on `stop`
    for thread in threads:
        thread.join(timeout=15)
    relay.close()
    if nudges is not None:
        nudges.close()
    return 1 if failures else 0


def _listen_for_nudges(settings: Settings) -> NudgeListener | None:
    """The relay's nudge socket, or None (no address, or its port taken: the relay polls)."""
    if not settings.relay_nudge_address:
        return None
    try:
        return NudgeListener(settings.relay_nudge_address)
    except (OSError, ValueError):
        log.error("cannot listen for relay nudges on %s; the relay only polls",
                  settings.relay_nudge_address, exc_info=True)
        return None
