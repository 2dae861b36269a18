"""Kafka clients with Meridian's delivery settings, created lazily, one set per process."""

from __future__ import annotations

import logging
import os
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from ..config import Settings
from ..events.topics import PARTITIONS, all_physical_topics

log = logging.getLogger(__name__)
# kafka-python 3 backs reconnections off exponentially up to 30 s: a client that saw the
# broker go away retried that rarely, so after a short outage the relay, the consumers and
# the readiness probe came back up to 30 s after the broker did. One second keeps a down
# broker unhammered (one attempt per client per second) and recovery prompt.
RECONNECT = {"reconnect_backoff_ms": 50, "reconnect_backoff_max_ms": 1000}


def make_producer(settings: Settings, client_id: str) -> KafkaProducer:
    """An idempotent producer that waits for every in-sync replica (both set explicitly)."""
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        request_timeout_ms=10_000,
        max_block_ms=10_000,
        **RECONNECT,
    )


def make_consumer(settings: Settings, group_id: str, topics: list[str]) -> KafkaConsumer:
    """A consumer of `topics` (none: subscribe later) that commits offsets only when the
    application says so."""
    return KafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=group_id,
        client_id=f"{group_id}-{os.getpid()}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=100,
        max_poll_interval_ms=int(settings.consumer_max_poll_interval_seconds * 1000),
        # The broker's minimum: a member that died without leaving holds its partitions (and a
        # rejoining group waits for it) this long.
        session_timeout_ms=6_000,
        heartbeat_interval_ms=1_500,
        **RECONNECT,
    )


def ensure_topics(settings: Settings, names: list[str] | None = None,
                  partitions: int = PARTITIONS, replication_factor: int = 1) -> list[str]:
    """Create the platform's topics (and DLQs) if missing; returns the names created."""
    names = names or all_physical_topics(settings.topic_prefix)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap,
                             client_id="meridian-admin", request_timeout_ms=15_000, **RECONNECT)
    try:
        existing = set(admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            try:
                admin.create_topics([NewTopic(n, partitions, replication_factor) for n in missing])
            except TopicAlreadyExistsError:
                pass
        return missing
    finally:
        admin.close()


class KafkaProbe:
    """Readiness check for Kafka: one lazily built client per process, answers cached briefly."""

    def __init__(self, settings: Settings, cache_seconds: float = 2.0):
        self.settings = settings
        self.cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._client = None
        self._pid = None
        self._last_ok = 0.0

    def __call__(self) -> None:
        """Raise if no Kafka broker answers a metadata request."""
        if time.monotonic() - self._last_ok < self.cache_seconds:
            return
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                # A probe answers within seconds: no 30 s bootstrap wait while Kafka is down.
                self._client = KafkaAdminClient(bootstrap_servers=self.settings.kafka_bootstrap,
                                                client_id="meridian-readyz",
                                                request_timeout_ms=3_000,
                                                bootstrap_timeout_ms=3_000, **RECONNECT)
                self._pid = os.getpid()
            try:
                self._client.describe_cluster()
            except Exception:
                # A client that lost the broker may sit out a backoff; the next probe starts
                # afresh, so readiness returns as soon as the broker does.
                self._drop()
                raise
            self._last_ok = time.monotonic()

    def _drop(self) -> None:
        client, self._client = self._client, None
        try:
            client.close()
        except Exception:  # closing a broken client must not hide why the probe failed
            log.debug("closing the readiness client failed", exc_info=True)
