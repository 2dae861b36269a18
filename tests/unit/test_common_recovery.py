"""How fast the common plumbing comes back after an outage, without I/O: the Kafka clients'
reconnect backoff and session timeout, the relay's pauses after failed rounds, a worker's
start hooks, a consumer started while Kafka is down."""

from __future__ import annotations

import pytest
from kafka.errors import KafkaTimeoutError
from pymongo.errors import ServerSelectionTimeoutError

from meridian_common.config import Settings
from meridian_common.messaging import group_membership, kafka_clients, relay, worker


class Recorder:
    def __init__(self, *_args, **kwargs):
        self.kwargs = kwargs


@pytest.mark.parametrize("make", [
    lambda s: kafka_clients.make_producer(s, "relay"),
    lambda s: kafka_clients.make_consumer(s, "group", ["lms.enrollment"])])
def test_kafka_clients_retry_a_lost_broker_at_least_every_second(monkeypatch, make):
    monkeypatch.setattr(kafka_clients, "KafkaProducer", Recorder)
    monkeypatch.setattr(kafka_clients, "KafkaConsumer", Recorder)
    client = make(Settings(service="catalog"))
    assert client.kwargs["reconnect_backoff_max_ms"] <= 1000


class Stop:
    """A stop event that ends the loop after `rounds` waits and records each pause."""

    def __init__(self, rounds: int):
        self.rounds, self.pauses = rounds, []

    def is_set(self) -> bool:
        return len(self.pauses) >= self.rounds

    def wait(self, seconds: float) -> bool:
        self.pauses.append(seconds)
        return self.is_set()


def test_the_relay_retries_an_outage_at_least_every_second(monkeypatch):
    outbox = relay.OutboxRelay(Settings(service="catalog"), None, [])

    def broker_down():
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox, "run_once", broker_down)
    monkeypatch.setattr(outbox, "_reset_producer", lambda: None)
    stop = Stop(rounds=30)
    outbox.run_forever(stop)
    assert max(stop.pauses) <= 1.0
    assert stop.pauses == sorted(stop.pauses)  # backing off, not hammering


def test_a_start_hook_waits_out_a_database_outage_instead_of_ending_the_worker(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(worker.time, "sleep", pauses.append)
    calls: list[int] = []

    def ensure_indexes():
        calls.append(1)
        if len(calls) < 8:
            raise ServerSelectionTimeoutError("FerretDB is down")

    worker._until_it_works(ensure_indexes)

    assert len(calls) == 8
    assert max(pauses) <= 1.0


def test_a_start_hook_failing_for_another_reason_still_ends_the_worker():
    def broken():
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError):
        worker._until_it_works(broken)


class FakeConsumer:
    """A consumer whose topics get their partitions after `missing_rounds` metadata reads."""

    def __init__(self, missing_rounds: int = 0):
        self.missing_rounds, self.subscribed, self.closed = missing_rounds, None, False

    def partitions_for_topic(self, _topic: str) -> set[int]:
        if self.missing_rounds:
            self.missing_rounds -= 1
            return set()
        return {0, 1, 2}

    def subscribe(self, topics: list[str]) -> None:
        self.subscribed = topics

    def close(self, autocommit: bool = True) -> None:
        self.closed = True


def _join(monkeypatch, bootstrap, stop: Stop, topics=("lms.catalog",)):
    monkeypatch.setattr(group_membership, "make_consumer", bootstrap)
    return group_membership.join_when_ready(Settings(service="catalog"), "catalog",
                                            list(topics), stop)


def test_a_consumer_started_while_kafka_is_down_waits_for_it_instead_of_ending(monkeypatch):
    attempts: list[int] = []
    made = FakeConsumer()

    def bootstrap(*_args):
        attempts.append(1)
        if len(attempts) < 3:
            raise KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:9092")
        return made

    stop = Stop(rounds=10)
    assert _join(monkeypatch, bootstrap, stop, ["lms.enrollment"]) is made
    assert stop.pauses == [1.0, 1.0]
    assert made.subscribed == ["lms.enrollment"]


def test_a_consumer_subscribes_only_once_its_topics_have_partitions(monkeypatch):
    # Joining the group before the topics exist left kafka-python with no partitions for as
    # long as watched (30 s).
    made = FakeConsumer(missing_rounds=2)
    stop = Stop(rounds=10)
    assert _join(monkeypatch, lambda *_args: made, stop) is made
    assert stop.pauses == [1.0, 1.0]
    assert made.subscribed == ["lms.catalog"]


def test_a_consumer_stopped_while_waiting_for_its_topics_closes_its_client(monkeypatch):
    made = FakeConsumer(missing_rounds=100)
    assert _join(monkeypatch, lambda *_args: made, Stop(rounds=3)) is None
    assert made.subscribed is None and made.closed


def test_the_consumer_group_notices_a_dead_member_within_the_brokers_minimum(monkeypatch):
    monkeypatch.setattr(kafka_clients, "KafkaConsumer", Recorder)
    client = kafka_clients.make_consumer(Settings(service="catalog"), "group", ["t"])
    assert client.kwargs["session_timeout_ms"] == 6_000
    assert client.kwargs["heartbeat_interval_ms"] * 3 <= client.kwargs["session_timeout_ms"]
