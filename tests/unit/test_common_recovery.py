"""How fast the common plumbing comes back after an outage, without I/O: the Kafka clients'
reconnect backoff, the relay's pauses after failed rounds, a worker's start hooks."""

from __future__ import annotations

import pytest
from pymongo.errors import ServerSelectionTimeoutError

from meridian_common.config import Settings
from meridian_common.messaging import kafka_clients, relay, worker


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
