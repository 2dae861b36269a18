"""The outbox relay: publishes stored events to Kafka and records only what was acknowledged."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from kafka.errors import KafkaTimeoutError
from prometheus_client import Counter, Gauge

from ..config import Settings
from ..events.envelope import as_utc, to_kafka, utcnow
from ..persistence import pending as store
from .kafka_clients import make_producer
from .published_ids import PublishedIds
from .relay_pacing import ROUND_SHARE, SWEEP_WINDOW, SweepPace, pause_between_rounds

log = logging.getLogger(__name__)

PUBLISHED = Counter("meridian_outbox_published_total", "Events the relay published",
                    ["service", "topic"])
BACKLOG = Gauge("meridian_outbox_backlog", "Stored events not yet acknowledged by Kafka",
                ["service"])
FAILURES = Counter("meridian_outbox_failures_total", "Relay rounds that failed", ["service"])

# A write is stamped just before it is sent; each round looks back this far behind what it
# already covered, for writes stamped before the last round that landed after it.
LATE_WRITE = timedelta(seconds=2)
STARTUP_LOOKBACK = timedelta(days=7)
# A round that would ask for more slots than this (a first round after a long stop, or one
# held back by an event Kafka has not taken for an hour) reads by time alone instead.
MAX_SLOTS_PER_ROUND = 900
CURSOR_EVERY = 5.0
RESET_AFTER_FAILURES = 10
# Pauses after failed rounds double up to this: a round against a down broker already waits
# max_block_ms for metadata, so a longer pause only delays the first round after it is back.
MAX_FAILURE_PAUSE = 1.0


class OutboxRelay:
    """Publishes stored events in stored order, finding them by their recent outbox slots."""

    def __init__(self, settings: Settings, db, collections: list[str], nudges=None):
        self.settings = settings
        # A NudgeListener (messaging/relay_nudge.py) to wait on between rounds, or None.
        self.nudges = nudges
        self.db = db
        self.collections = collections
        self._producer = None
        self._inflight: dict[str, tuple] = {}
        self._since: datetime | None = None
        self._published = PublishedIds(db, keep=SWEEP_WINDOW * 3)
        self._sweep_slot: int | None = None
        self._sweep_pace = SweepPace()
        self._next_cursor = 0.0
        self.find_seconds = 0.0

    @property
    def producer(self):
        """The Kafka producer, created on first use in this process."""
        if self._producer is None:
            self._producer = make_producer(self.settings, f"{self.settings.service}-relay")
        return self._producer

    def _find(self, started: datetime) -> list[dict]:
        if self._since is None:
            return self._find_first(started)
        oldest = started - SWEEP_WINDOW
        if self.settings.relay_find_by_time:
            # Where every query scans, one query covering the sweep's window costs what one
            # slot's did: per-slot queries made each round longer than the seconds it read,
            # so the next round had more slots to read, and the relay fell ever further behind.
            self._published.forget_before(oldest)
            return self._find_by_time(min(oldest, self._since))
        slots = store.slots_between(self._since, started)
        if len(slots) > MAX_SLOTS_PER_ROUND:
            return self._find_by_time(self._since)
        if self._sweep_slot is None or self._sweep_slot >= slots[0]:
            # A new pass over the window, which also asks for the minutes older builds stamp.
            self._sweep_slot = store.slot_of(oldest)
            self._published.forget_before(oldest)
            slots += store.legacy_slots_between(oldest, started)
        else:
            last = min(self._sweep_slot + self._sweep_pace.share(), slots[0])
            swept = range(self._sweep_slot, last)
            slots[:0] = swept
            self._sweep_slot += len(swept)
        return [e for name in self.collections
                for e in store.events_in_slots(self.db, name, slots, min(oldest, self._since))]

    def _find_first(self, started: datetime) -> list[dict]:
        """From the recorded cursor by slots, or (never recorded, or long ago) by time alone."""
        cursor = store.load_cursor(self.db, self.settings.service)
        since = started - STARTUP_LOOKBACK if cursor is None else cursor - SWEEP_WINDOW
        slots = store.slots_between(since, started)
        if cursor is None or len(slots) > MAX_SLOTS_PER_ROUND or self.settings.relay_find_by_time:
            return self._find_by_time(since)
        slots += store.legacy_slots_between(since, started)
        return [e for name in self.collections
                for e in store.events_in_slots(self.db, name, slots, since)]

    def _find_by_time(self, since: datetime) -> list[dict]:
        return [e for name in self.collections for e in store.events_since(self.db, name, since)]

    def run_once(self) -> int:
        """Publish everything pending; returns how many events Kafka acknowledged."""
        started, began = utcnow(), time.monotonic()
        found = self._find(started)
        self.find_seconds = time.monotonic() - began
        events = store.in_stored_order([e for e in found if not self._published.has(e)])
        BACKLOG.labels(self.settings.service).set(len(events))
        published = self._publish(events)
        # Stay behind anything still owed (a failed send); otherwise move up to this round.
        owed = [as_utc(e["stored_at"]) for e in events if e["id"] not in published]
        self._since = min([started - LATE_WRITE, *owed[:1]])
        if time.monotonic() >= self._next_cursor:
            store.save_cursor(self.db, self.settings.service, min([started, *owed[:1]]))
            self._next_cursor = time.monotonic() + CURSOR_EVERY
        return len(published)

    def _publish(self, events: list[dict]) -> set[str]:
        """Send `events`, wait for Kafka's acknowledgements and record them; their ids.

        A send still unacknowledged when the round ends stays in flight: the next round waits
        for that same future instead of sending the event again. Re-sending would put a second
        copy on the topic once the first one is delivered after all (after a broker restart,
        for example), and the idempotent producer only removes its own retries.
        """
        if not events:
            return set()
        for record in events:
            if record["id"] in self._inflight:
                continue
            message = to_kafka(record)
            topic = self.settings.topic(record["topic"])
            try:
                future = self.producer.send(topic, key=message.key.encode(),
                                            value=message.value,
                                            headers=list(message.headers.items()))
            except KafkaTimeoutError:
                # No metadata for the topic (broker unreachable): later events of the same key
                # must not overtake this one, so the round ends here; what was sent stays in
                # flight and the retry loop backs off.
                log.warning("relay could not send; broker unreachable")
                raise
            self._inflight[record["id"]] = (record, topic, future)
        try:
            self.producer.flush(timeout=15)
        except KafkaTimeoutError:
            log.warning("relay: %d events still unacknowledged; waiting on them next round",
                        sum(not f.is_done for _r, _t, f in self._inflight.values()))
        acknowledged = self._collect_acknowledged()
        # Remembered before it is recorded: if recording fails, this process still never
        # sends these events again (the database copy is for the next process).
        for record, entry in acknowledged:
            self._published.add(record["id"], as_utc(record["stored_at"]))
            PUBLISHED.labels(self.settings.service, entry["topic"]).inc()
        store.mark_published(self.db, [entry for _record, entry in acknowledged])
        BACKLOG.labels(self.settings.service).set(len(events) - len(acknowledged))
        return {record["id"] for record, _entry in acknowledged}

    def _collect_acknowledged(self) -> list[tuple[dict, dict]]:
        """Take finished sends out of flight: acknowledged ones to record, failed ones to resend."""
        acknowledged = []
        for event_id, (record, topic, future) in list(self._inflight.items()):
            if not future.is_done:
                continue
            del self._inflight[event_id]
            if future.failed():
                log.warning("relay send failed, will resend: %s", future.exception)
                continue
            metadata = future.value
            acknowledged.append((record, {
                "_id": event_id, "topic": topic, "type": record["type"],
                "partition": metadata.partition, "offset": metadata.offset,
                "published_at": utcnow()}))
        return acknowledged

    def run_forever(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; failures are retried with growing pauses."""
        pause = self.settings.relay_poll_seconds
        failures = 0
        while not stop.is_set():
            try:
                self.run_once()
                failures = 0
                # Where finding events is a scan (FerretDB: see persistence/pending.py), its
                # cost sets the pace, so the relay never takes most of the database's time.
                pause = max(self.settings.relay_poll_seconds, ROUND_SHARE * self.find_seconds)
            except Exception:  # broker or database outage: keep events, try again later
                FAILURES.labels(self.settings.service).inc()
                failures += 1
                log.warning("outbox relay round failed; will retry", exc_info=True)
                # The producer reconnects by itself and its sends in flight may still land;
                # only a producer that keeps failing is replaced (its sends then count as lost).
                if failures % RESET_AFTER_FAILURES == 0:
                    self._reset_producer()
                pause = min(max(pause * 2, 0.1), MAX_FAILURE_PAUSE)
                # Backing off ignores nudges: writes during an outage must not make it a storm.
                stop.wait(pause)
                continue
            pause_between_rounds(stop, self.nudges, pause, self.find_seconds)

    def _reset_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # closing a broken client must not mask the original failure
                log.debug("closing producer failed", exc_info=True)
            self._producer = None
        self._inflight.clear()

    def close(self) -> None:
        """Flush and close the producer."""
        self._reset_producer()
