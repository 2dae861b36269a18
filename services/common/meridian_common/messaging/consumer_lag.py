"""Consumer lag as a Prometheus gauge: messages on assigned partitions not yet handled."""

from __future__ import annotations

import logging
import time

from kafka.errors import KafkaError
from prometheus_client import Gauge

log = logging.getLogger(__name__)

LAG = Gauge("meridian_consumer_lag", "Messages on an assigned partition not yet handled",
            ["service", "group", "topic", "partition"], multiprocess_mode="max")


class LagRecorder:
    """Sets the lag gauge from the consumer's own fetch metadata (no extra broker calls)."""

    def __init__(self, service: str, group: str, interval_seconds: float = 5.0):
        self.service = service
        self.group = group
        self.interval_seconds = interval_seconds
        self._next = 0.0
        self._labelled: set[tuple[str, int]] = set()

    def record(self, consumer, force: bool = False) -> None:
        """Update the gauge at most once per interval, after a batch has been handled."""
        now = time.monotonic()
        if not force and now < self._next:
            return
        self._next = now + self.interval_seconds
        current: set[tuple[str, int]] = set()
        for partition in consumer.assignment():
            try:
                end = consumer.highwater(partition)
                position = consumer.position(partition, timeout_ms=100)
            except KafkaError:  # rebalancing: measure next time
                continue
            if end is None or position is None:
                continue
            key = (partition.topic, partition.partition)
            current.add(key)
            LAG.labels(self.service, self.group, *map(str, key)).set(max(end - position, 0))
        # Partitions given to another worker by a rebalance are that worker's to report.
        for topic, number in self._labelled - current:
            LAG.remove(self.service, self.group, topic, str(number))
        self._labelled = current
