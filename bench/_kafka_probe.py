"""Raw kafka-python tools for the event-lag benchmark: a topic watcher and the round-trip floor."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic


@dataclass
class Seen:
    """One record as the watcher saw it: when it arrived, its producer timestamp, its parts."""

    received: float
    sent: float
    headers: list[tuple[str, bytes]]
    value: bytes


def _consumer_at_end(bootstrap: str, topic: str) -> KafkaConsumer:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             group_id=None, fetch_max_wait_ms=100)
    partitions = None
    deadline = time.monotonic() + 30
    while not partitions:
        assert time.monotonic() < deadline, f"topic {topic} has no partitions"
        partitions = consumer.partitions_for_topic(topic)
        time.sleep(0 if partitions else 0.2)
    consumer.assign([TopicPartition(topic, p) for p in partitions])
    consumer.seek_to_end()
    for tp in consumer.assignment():  # resolve the end offsets now, before anything is sent
        consumer.position(tp)
    return consumer


class TopicWatcher:
    """Reads a topic from its current end in a thread, keeping the records with one key."""

    def __init__(self, bootstrap: str, topic: str, key: str):
        self.key = key.encode()
        self.records: list[Seen] = []
        self._stop = threading.Event()
        self._consumer = _consumer_at_end(bootstrap, topic)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for batch in self._consumer.poll(timeout_ms=100).values():
                now = time.time()
                self.records += [Seen(now, r.timestamp / 1000, list(r.headers or []), r.value)
                                 for r in batch if r.key == self.key]

    def close(self) -> None:
        """Stop reading and close the consumer."""
        self._stop.set()
        self._thread.join()
        self._consumer.close()


def round_trips(bootstrap: str, value: bytes, headers: list[tuple[str, bytes]],
                count: int) -> list[float]:
    """Seconds from send to receipt for `count` messages of this size, one at a time, on a
    scratch topic (deleted afterwards); the producer has the relay's delivery settings."""
    topic = f"bench.lag.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15_000)
    admin.create_topics([NewTopic(topic, 1, 1)])
    producer = KafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all",
                             linger_ms=5)
    watcher = TopicWatcher(bootstrap, topic, "bench")
    seconds = []
    try:
        for n in range(count + 5):  # the first few warm up the connections
            started = time.time()
            producer.send(topic, key=b"bench", value=value, headers=headers)
            deadline = time.monotonic() + 10
            while len(watcher.records) <= n:
                assert time.monotonic() < deadline, "a raw round trip took over 10 s"
                time.sleep(0.0005)
            if n >= 5:
                seconds.append(watcher.records[n].received - started)
    finally:
        watcher.close()
        producer.close()
        admin.delete_topics([topic])
        admin.close()
    return seconds
