"""Read-only Kafka questions the ops commands ask: partitions, end offsets, consumer lag."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from meridian_common.config import Settings


@dataclass(frozen=True)
class PartitionLag:
    """How far one consumer group is behind on one partition."""

    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        """Messages not yet committed (everything, when the group never committed)."""
        return self.end - (self.committed or 0)


@contextmanager
def admin_client(settings: Settings, timeout_ms: int = 10_000) -> Iterator:
    """A KafkaAdminClient, closed afterwards."""
    from kafka import KafkaAdminClient

    client = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap,
                              client_id="meridian-ops", request_timeout_ms=timeout_ms)
    try:
        yield client
    finally:
        client.close()


def describe(admin, topics: list[str]) -> dict[str, dict]:
    """topic → {partitions, replication_factor, under_replicated} for the topics that exist."""
    existing = set(admin.list_topics())
    wanted = [t for t in topics if t in existing]
    result = {}
    for topic in admin.describe_topics(wanted) if wanted else []:
        parts = topic["partitions"]
        result[topic["name"]] = {
            "partitions": len(parts),
            "replication_factor": max((len(p["replica_nodes"]) for p in parts), default=0),
            "under_replicated": sum(len(p["isr_nodes"]) < len(p["replica_nodes"]) for p in parts),
        }
    return result


def end_offsets(admin, topic: str, partitions: int) -> dict[int, int]:
    """partition → offset of the next message to be written."""
    from kafka import TopicPartition
    from kafka.admin import OffsetSpec

    specs = {TopicPartition(topic, p): OffsetSpec.LATEST for p in range(partitions)}
    return {tp.partition: found.offset for tp, found in admin.list_partition_offsets(specs).items()}


def group_lag(admin, group: str, topic: str, partitions: int) -> list[PartitionLag]:
    """The group's lag on each partition of `topic`."""
    committed = admin.list_group_offsets({group: None}).get(group, {})
    by_partition = {tp.partition: meta.offset for tp, meta in committed.items()
                    if tp.topic == topic and meta.offset >= 0}
    ends = end_offsets(admin, topic, partitions)
    return [PartitionLag(topic, p, by_partition.get(p), ends.get(p, 0))
            for p in range(partitions)]


def unassigned_partitions(admin, group: str, topic: str, partitions: int) -> list[int]:
    """Partitions of `topic` that no member of `group` holds while the group is settled.

    A settled group whose members read `topic` but hold none of some partitions consumes
    nothing from them: kafka-python 3.0 left a member that way when it joined while the topic
    was being created. An empty, absent or rebalancing group reports none (readiness and lag
    cover a worker that is down).
    """
    described = admin.describe_groups([group]).get(group) or {}
    members = described.get("members") or []
    if described.get("group_state") != "Stable" or not any(
            topic in (m.get("member_metadata") or {}).get("topics", []) for m in members):
        return []
    held = {p for m in members
            for entry in (m.get("member_assignment") or {}).get("assigned_partitions", [])
            if entry["topic"] == topic for p in entry["partitions"]}
    return [p for p in range(partitions) if p not in held]
