"""Reading a dead-letter topic: every parked message with where it came from and why."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from meridian_common.config import Settings

REPLAY_GROUP = "meridian-dlq-replay"


@dataclass(frozen=True)
class Parked:
    """One message in a DLQ, as the consumer that gave up on it left it."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """A header's value as text (None when absent)."""
        for key, value in self.headers:
            if key == name:
                return value.decode(errors="replace")
        return None

    @property
    def source_topic(self) -> str | None:
        """The topic the message was read from before it was parked."""
        return self.header("dlq_source_topic")

    def replay_headers(self) -> list[tuple[str, bytes]]:
        """The original headers (CloudEvents attributes), plus where the replay came from."""
        kept = [(k, v) for k, v in self.headers if not k.startswith("dlq_")]
        origin = f"{self.topic}/{self.partition}@{self.offset}".encode()
        return [*kept, ("dlq_replayed_from", origin)]


def read_all(settings: Settings, topic: str, timeout: float = 15.0) -> list[Parked]:
    """Every message currently in `topic`, in partition and offset order."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None,
                             enable_auto_commit=False, client_id="meridian-ops-dlq")
    try:
        partitions = sorted(consumer.partitions_for_topic(topic) or [])
        assigned = [TopicPartition(topic, p) for p in partitions]
        if not assigned:
            return []
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        ends = consumer.end_offsets(assigned)
        found: list[Parked] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in assigned):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end in {timeout}s")
            for batch in consumer.poll(timeout_ms=500).values():
                found.extend(Parked(m.topic, m.partition, m.offset, m.timestamp, m.key, m.value,
                                    list(m.headers or [])) for m in batch
                             if m.offset < ends[TopicPartition(m.topic, m.partition)])
        return sorted(found, key=lambda p: (p.partition, p.offset))
    finally:
        consumer.close()


def replayed_up_to(admin, settings: Settings, topic: str) -> dict[int, int]:
    """partition → first offset not yet replayed (from the replay group's commits)."""
    group = f"{settings.topic_prefix}{REPLAY_GROUP}"
    committed = admin.list_group_offsets({group: None}).get(group, {})
    return {tp.partition: meta.offset for tp, meta in committed.items()
            if tp.topic == topic and meta.offset >= 0}


def mark_replayed(admin, settings: Settings, topic: str, parked: list[Parked]) -> None:
    """Move the replay group past the given messages, so a later replay skips them."""
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    group = f"{settings.topic_prefix}{REPLAY_GROUP}"
    upto: dict[int, int] = {}
    for message in parked:
        upto[message.partition] = max(upto.get(message.partition, 0), message.offset + 1)
    offsets = {TopicPartition(topic, p): OffsetAndMetadata(o, "", -1) for p, o in upto.items()}
    if offsets:
        errors = admin.alter_group_offsets(group, offsets)
        failed = {tp: e for tp, e in errors.items() if getattr(e, "errno", 0)}
        if failed:
            raise RuntimeError(f"could not record the replay: {failed}")
