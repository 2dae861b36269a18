"""The consumer lag gauge: highwater minus position per assigned partition, on real Kafka too."""

from __future__ import annotations

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import IllegalStateError

from meridian_common.messaging.consumer_lag import LAG, LagRecorder
from tests.support import env, unique, wait_for


def _lag(service: str, group: str, topic: str, partition: int) -> float | None:
    for metric in LAG.collect():
        for sample in metric.samples:
            if sample.labels == {"service": service, "group": group, "topic": topic,
                                 "partition": str(partition)}:
                return sample.value
    return None


class FakeConsumer:
    """Just the three calls LagRecorder makes."""

    def __init__(self, offsets: dict[TopicPartition, tuple[int | None, int]]):
        self.offsets = offsets

    def assignment(self):
        return set(self.offsets)

    def highwater(self, partition):
        return self.offsets[partition][1]

    def position(self, partition, timeout_ms=None):
        position = self.offsets[partition][0]
        if position is None:
            raise IllegalStateError("not assigned any more")
        return position


def test_lag_per_partition_and_removal_after_a_rebalance():
    service, group = unique("svc-"), unique("grp-")
    one, two = TopicPartition("lms.catalog", 0), TopicPartition("lms.catalog", 1)
    recorder = LagRecorder(service, group, interval_seconds=3600)
    recorder.record(FakeConsumer({one: (40, 45), two: (7, 7)}))
    assert _lag(service, group, "lms.catalog", 0) == 5
    assert _lag(service, group, "lms.catalog", 1) == 0
    recorder.record(FakeConsumer({one: (41, 45)}))
    assert _lag(service, group, "lms.catalog", 0) == 5, "measured again within the interval"
    recorder.record(FakeConsumer({one: (45, 45), two: (None, 9)}), force=True)
    assert _lag(service, group, "lms.catalog", 0) == 0
    assert _lag(service, group, "lms.catalog", 1) is None, "a partition gone elsewhere"


def test_lag_of_a_real_consumer_falls_as_it_reads(topic_prefix):
    topic = f"{topic_prefix}lms.catalog"
    producer = KafkaProducer(bootstrap_servers=env("KAFKA_BOOTSTRAP"))
    for _ in range(12):
        producer.send(topic, key=b"off_1", value=b"{}", partition=0).get(timeout=10)
    producer.close()
    group = unique("lag-")
    consumer = KafkaConsumer(topic, bootstrap_servers=env("KAFKA_BOOTSTRAP"), group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             max_poll_records=5)
    recorder = LagRecorder("lagtest", group)
    read: list[int] = []

    def poll_more() -> int:
        read.append(sum(len(batch) for batch in consumer.poll(timeout_ms=500).values()))
        return sum(read)

    try:
        wait_for(poll_more, timeout=30, message="a first batch")
        recorder.record(consumer, force=True)
        assert _lag("lagtest", group, topic, 0) == 12 - sum(read)
        wait_for(lambda: poll_more() >= 12, timeout=30, message="all twelve messages")
        recorder.record(consumer, force=True)
        assert _lag("lagtest", group, topic, 0) == 0
    finally:
        consumer.close()
