"""The outbox relay: publishes stored events to Kafka and records only what was acknowledged."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from prometheus_client import Counter, Gauge

from ..config import Settings
from ..events.envelope import as_utc, to_kafka, utcnow
from ..persistence.outbox_notes import clear_notes, noted_events
from ..persistence.pending import mark_published, pending_events
from .kafka_clients import make_producer

log = logging.getLogger(__name__)

PUBLISHED = Counter("meridian_outbox_published_total", "Events the relay published",
                    ["service", "topic"])
BACKLOG = Gauge("meridian_outbox_backlog", "Stored events not yet acknowledged by Kafka",
                ["service"])
FAILURES = Counter("meridian_outbox_failures_total", "Relay rounds that failed", ["service"])

# How far back each round looks beyond the oldest event it still owes; it covers writers whose
# clock lags and writes stamped just before a round that commit just after it.
SAFETY_WINDOW = timedelta(seconds=60)
STARTUP_LOOKBACK = timedelta(days=7)


class OutboxRelay:
    """Publishes stored events in stored order: noted ones every round, and a full scan of the
    outbox collections every `relay_full_scan_seconds` for any event whose note was lost."""

    def __init__(self, settings: Settings, db, collections: list[str]):
        self.settings = settings
        self.db = db
        self.collections = collections
        self._producer = None
        self._since = utcnow() - STARTUP_LOOKBACK
        self._next_full_scan = 0.0

    @property
    def producer(self):
        """The Kafka producer, created on first use in this process."""
        if self._producer is None:
            self._producer = make_producer(self.settings, f"{self.settings.service}-relay")
        return self._producer

    def run_once(self) -> int:
        """Publish everything pending; returns how many events Kafka acknowledged."""
        started, full_scan = utcnow(), time.monotonic() >= self._next_full_scan
        if full_scan:
            events, spent = pending_events(self.db, self.collections, self._since), []
        else:
            events, spent = noted_events(self.db)
        BACKLOG.labels(self.settings.service).set(len(events))
        published = self._publish(events)
        clear_notes(self.db, spent + published)
        if full_scan:
            first = min([started, *(as_utc(e["stored_at"]) for e in events[:1])])
            self._since = first - SAFETY_WINDOW
            self._next_full_scan = time.monotonic() + self.settings.relay_full_scan_seconds
        return len(published)

    def _publish(self, events: list[dict]) -> list[str]:
        """Send `events`, wait for Kafka's acknowledgements and record them; their ids."""
        if not events:
            return []
        futures = []
        for record in events:
            message = to_kafka(record)
            topic = self.settings.topic(record["topic"])
            future = self.producer.send(topic, key=message.key.encode(), value=message.value,
                                        headers=list(message.headers.items()))
            futures.append((record, topic, future))
        self.producer.flush(timeout=15)
        acknowledged = []
        for record, topic, future in futures:
            metadata = future.get(timeout=15)
            acknowledged.append({"_id": record["id"], "topic": topic, "type": record["type"],
                                 "partition": metadata.partition, "offset": metadata.offset,
                                 "published_at": utcnow()})
            PUBLISHED.labels(self.settings.service, topic).inc()
        mark_published(self.db, acknowledged)
        BACKLOG.labels(self.settings.service).set(0)
        return [entry["_id"] for entry in acknowledged]

    def run_forever(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; failures are retried with growing pauses."""
        pause = self.settings.relay_poll_seconds
        while not stop.is_set():
            try:
                self.run_once()
                pause = self.settings.relay_poll_seconds
            except Exception:  # broker or database outage: keep events, try again later
                FAILURES.labels(self.settings.service).inc()
                log.warning("outbox relay round failed; will retry", exc_info=True)
                self._reset_producer()
                pause = min(max(pause * 2, 1.0), 10.0)
            stop.wait(pause)

    def _reset_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # closing a broken client must not mask the original failure
                log.debug("closing producer failed", exc_info=True)
            self._producer = None

    def close(self) -> None:
        """Flush and close the producer."""
        self._reset_producer()
