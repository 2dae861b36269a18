"""A consumer's place in its Kafka group: joining once its topics exist, committing through
rebalances."""

from __future__ import annotations

import logging
import threading

from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError

from ..config import Settings
from .kafka_clients import make_consumer

log = logging.getLogger(__name__)

# What commit() raises when the group moved on while a batch was being handled: the
# partitions may now belong to another member, which resumes from the last committed offset.
REBALANCED = (CommitFailedError, RebalanceInProgressError)


def join_when_ready(settings: Settings, group: str, topics: list[str], stop: threading.Event):
    """A consumer subscribed once a broker answers and every topic has its partitions (None if
    stopped first).

    A worker started while Kafka is down used to die at its consumer's first bootstrap; its
    restart, and the group's wait for the dead member's session, came long after Kafka was
    back. Waiting here joins the group within a second of the broker's return. A consumer that
    joins its group before its topics exist (a worker started beside the job that creates them)
    could be left with no partitions: kafka-python 3.0 did not rejoin when the topics appeared,
    and the worker consumed nothing for as long as watched.
    """
    consumer = None
    while not stop.is_set():
        try:
            consumer = consumer or make_consumer(settings, group, [])
            missing = [t for t in topics if not consumer.partitions_for_topic(t)]
            if not missing:
                consumer.subscribe(topics)
                return consumer
            log.warning("topics %s do not exist yet; the consumer waits for them", missing)
        except KafkaError:
            log.warning("no Kafka broker for the consumer yet; retrying", exc_info=True)
        stop.wait(1.0)
    if consumer is not None:
        consumer.close(autocommit=False)
    return None


def commit_unless_rebalanced(consumer) -> bool:
    """Commit the consumed offsets; False when a rebalance got there first.

    A rebalance is routine (a member joins, leaves, or a topic's metadata changes), and the
    batch's messages are then delivered again to whoever holds their partitions, which skips
    them as already processed. This used to escape the poll loop: the worker died and waited
    for its restart, and an embedded consumer stopped consuming for good.
    """
    try:
        consumer.commit()
        return True
    except REBALANCED as exc:
        log.info("the group rebalanced before the batch was committed; its messages will be "
                 "delivered again and skipped as processed (%s)", type(exc).__name__)
        return False
