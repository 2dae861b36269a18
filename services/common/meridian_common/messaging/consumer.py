"""Consumer base: manual commits, idempotent handling, retries with backoff, a DLQ per topic."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kafka.errors import KafkaError
from marshmallow import ValidationError
from prometheus_client import Counter
from pymongo.errors import DuplicateKeyError, PyMongoError

from ..config import Settings
from ..events.contracts import CONTRACTS, load_payload
from ..events.envelope import ReceivedEvent, from_kafka, utcnow
from ..events.topics import dlq_for
from ..web.context import reset_request_id, set_request_id
from .consumer_lag import LagRecorder
from .group_membership import commit_unless_rebalanced, join_when_ready
from .kafka_clients import make_producer

log = logging.getLogger(__name__)

Handler = Callable[[ReceivedEvent, dict], None]
# Called with a batch's messages once each is handled, before their offsets are committed.
BatchHook = Callable[[list], None]
PROCESSED_COLLECTION = "processed_events"
DEAD_LETTERED = Counter("meridian_consumer_dead_lettered_total", "Messages parked in a DLQ",
                        ["service", "topic"])
HANDLED = Counter("meridian_consumer_handled_total", "Events handled", ["service", "type"])
INFRA_ERRORS = (PyMongoError, KafkaError, ConnectionError, TimeoutError)


class PoisonMessage(Exception):
    """A message that can never be handled as it is."""


class TooManyFailures(SystemExit):
    """Raised to end the worker so its supervisor restarts it with fresh connections."""


class EventConsumer:
    """Runs `handlers[event.type](event, payload)` for each message, at least once, in order."""

    def __init__(self, settings: Settings, db, group: str, topics: list[str],
                 handlers: dict[str, Handler], after_batch: BatchHook | None = None):
        self.settings = settings
        self.after_batch = after_batch
        self.db = db
        self.group = f"{settings.topic_prefix}{group}"
        self.topics = [settings.topic(t) for t in topics]
        self.handlers = handlers
        self._consumer = None
        self._dlq_producer = None
        self._consecutive_failures = 0

    def _decode(self, message) -> tuple[ReceivedEvent, dict]:
        try:
            event = from_kafka(message.headers, message.key, message.value)
        except Exception as exc:  # anything unparseable is poison by definition
            raise PoisonMessage(f"not a CloudEvent: {exc}") from exc
        if event.type not in CONTRACTS:
            return event, {}
        try:
            return event, load_payload(event.type, event.data)
        except ValidationError as exc:
            raise PoisonMessage(f"payload breaks contract {event.type}: {exc.messages}") from exc

    def handle(self, message) -> None:
        """Handle one message: skip duplicates, retry transient failures, park poison."""
        try:
            event, payload = self._decode(message)
        except PoisonMessage as exc:
            self._dead_letter(message, str(exc))
            return
        handler = self.handlers.get(event.type)
        if handler is None or self._already_processed(event.id):
            return
        token = set_request_id(event.request_id)
        try:
            self._run_with_retries(handler, event, payload, message)
        finally:
            reset_request_id(token)

    def _run_with_retries(self, handler: Handler, event: ReceivedEvent, payload: dict,
                          message) -> None:
        delay = self.settings.consumer_backoff_seconds
        for attempt in range(1, self.settings.consumer_max_attempts + 1):
            try:
                handler(event, payload)
                self._remember(event)
                HANDLED.labels(self.settings.service, event.type).inc()
                # One line per handled event: with the bound request id it closes the trace
                # that started at the gateway.
                log.info("handled %s", event.type, extra={
                    "event_id": event.id, "topic": message.topic,
                    "partition": message.partition, "offset": message.offset})
                return
            except INFRA_ERRORS as exc:
                if attempt == self.settings.consumer_max_attempts:
                    raise  # an outage is not the message's fault: do not dead-letter it
                failure = exc
            except Exception as exc:
                if attempt == self.settings.consumer_max_attempts:
                    self._dead_letter(message, f"{type(exc).__name__}: {exc}")
                    return
                failure = exc
            # Outside the except blocks, exc_info=True found no exception and logged "None".
            log.warning("handler for %s failed (attempt %d)", event.type, attempt,
                        exc_info=failure)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _already_processed(self, event_id: str) -> bool:
        # find_one by _id is an index lookup on FerretDB too; count_documents runs as an
        # aggregation there and scans the whole (ever-growing) collection for every event.
        return self.db[PROCESSED_COLLECTION].find_one({"_id": event_id}, {"_id": 1}) is not None

    def _remember(self, event: ReceivedEvent) -> None:
        try:
            self.db[PROCESSED_COLLECTION].insert_one(
                {"_id": event.id, "type": event.type, "processed_at": utcnow()})
        except DuplicateKeyError:
            pass

    def _dead_letter(self, message, error: str) -> None:
        if self._dlq_producer is None:
            self._dlq_producer = make_producer(self.settings, f"{self.settings.service}-dlq")
        headers = [
            *(message.headers or []),
            ("dlq_error", error[:2000].encode()), ("dlq_source_topic", message.topic.encode()),
            ("dlq_source_partition", str(message.partition).encode()),
            ("dlq_source_offset", str(message.offset).encode()),
            ("dlq_consumer_group", self.group.encode())]
        topic = dlq_for(message.topic)
        self._dlq_producer.send(topic, key=message.key, value=message.value,
                                headers=headers).get(timeout=15)
        DEAD_LETTERED.labels(self.settings.service, message.topic).inc()
        log.error("parked message %s/%s@%s in %s: %s", message.topic, message.partition,
                  message.offset, topic, error)

    def run_forever(self, stop: threading.Event) -> None:
        """Poll, handle, commit; exit (for a restart) after repeated infrastructure failures."""
        self._consumer = join_when_ready(self.settings, self.group, self.topics, stop)
        if self._consumer is None:
            return
        lag = LagRecorder(self.settings.service, self.group)
        try:
            while not stop.is_set():
                batches = self._consumer.poll(timeout_ms=500)
                for messages in batches.values():
                    for message in messages:
                        self._counting_failures(self.handle, message, message.topic)
                if batches and self.after_batch is not None:
                    batch = [message for messages in batches.values() for message in messages]
                    self._counting_failures(self.after_batch, batch, "the batch")
                if batches:
                    self._counting_failures(commit_unless_rebalanced, self._consumer, "the commit")
                lag.record(self._consumer, force=bool(batches))
        finally:
            self._consumer.close(autocommit=False)

    def _counting_failures(self, action: Callable, argument, what: str) -> None:
        while True:
            try:
                action(argument)
                self._consecutive_failures = 0
                return
            except INFRA_ERRORS:
                self._consecutive_failures += 1
                log.error("infrastructure failure handling %s (%d in a row)", what,
                          self._consecutive_failures, exc_info=True)
                if self._consecutive_failures >= self.settings.consumer_exit_after_failures:
                    raise TooManyFailures(3) from None
                # Short pauses: the next try after the outage ends is at most a second late.
                time.sleep(min(0.25 * self._consecutive_failures, 1.0))
