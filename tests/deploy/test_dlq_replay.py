"""`meridian dlq list|replay` on real Kafka: a parked event goes home once and is handled then."""

from __future__ import annotations

import json

import pytest
from kafka import KafkaProducer

from meridian_common import cli
from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, to_kafka
from meridian_common.messaging.consumer import EventConsumer
from tests.support import TopicReader, env, header, unique, wait_for

ENROLLED = {"enrollment_id": "enr_1", "offering_id": "off_1", "student_id": "u-1",
            "institution_id": None, "status": "confirmed", "waitlist_position": None,
            "version": 1}


@pytest.fixture
def prefixed(monkeypatch, topic_prefix):
    """The CLI and this test's clients on a fresh topic prefix."""
    monkeypatch.setenv("MERIDIAN_TOPIC_PREFIX", topic_prefix)
    return topic_prefix


def _consumer(mongo_client, db_name, prefix, handler) -> EventConsumer:
    settings = load_settings("dlqtest", {"mongo_db": db_name, "topic_prefix": prefix,
                                         "consumer_max_attempts": 1})
    return EventConsumer(settings, mongo_client[db_name], unique("group-"), ["lms.enrollment"],
                         {"lms.enrollment.confirmed.v1": handler})


def _deliver(consumer: EventConsumer, reader: TopicReader, offset: int) -> None:
    """Hand the topic's message number `offset` to the consumer, as its poll loop would."""
    consumer.handle(reader.wait_until(lambda seen: len(seen) > offset)[offset])


def _cli_json(capsys, *argv: str):
    assert cli.main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_parked_event_is_listed_replayed_once_and_then_handled(
        capsys, prefixed, mongo_client, isolated_db_name):
    source = f"{prefixed}lms.enrollment"
    event = new_event("lms.enrollment.confirmed.v1", source="/t", key="off_1", data=ENROLLED)
    message = to_kafka(event)
    producer = KafkaProducer(bootstrap_servers=env("KAFKA_BOOTSTRAP"))
    producer.send(source, key=message.key.encode(), value=message.value,
                  headers=list(message.headers.items())).get(timeout=10)
    producer.close()
    reader = TopicReader(source)
    try:
        def broken(_event, _payload):
            raise ValueError("roster service misconfigured")

        _deliver(_consumer(mongo_client, isolated_db_name, prefixed, broken), reader, 0)
        wait_for(lambda: _cli_json(capsys, "dlq", "list", "lms.enrollment"), timeout=20)
        (parked,) = _cli_json(capsys, "dlq", "list", "lms.enrollment")
        assert parked["event_id"] == event["id"] and parked["source"] == source
        assert parked["error"] == "ValueError: roster service misconfigured"
        assert parked["type"] == "lms.enrollment.confirmed.v1" and parked["replayed"] is False

        assert cli.main(["dlq", "replay", "lms.enrollment", "--dry-run"]) == 0
        assert "1 message(s) would replay" in capsys.readouterr().out
        assert cli.main(["dlq", "replay", "lms.enrollment"]) == 0
        assert "1 message(s) replayed" in capsys.readouterr().out
        back = reader.wait_until(lambda seen: len(seen) >= 2)[1]
        assert header(back, "ce_id") == event["id"]
        assert header(back, "dlq_error") is None
        assert header(back, "dlq_replayed_from") == f"{prefixed}lms.enrollment.dlq/" \
            f"{parked['partition']}@{parked['offset']}"

        # The group that parked it has committed past the original: it sees only the replay.
        handled = []
        _deliver(_consumer(mongo_client, isolated_db_name, prefixed,
                           lambda e, _p: handled.append(e.id)), reader, 1)
        assert handled == [event["id"]]
        assert mongo_client[isolated_db_name]["processed_events"].count_documents(
            {"_id": event["id"]}) == 1

        assert _cli_json(capsys, "dlq", "list", "lms.enrollment")[0]["replayed"] is True
        assert cli.main(["dlq", "replay", "lms.enrollment"]) == 0
        assert "0 message(s) replayed" in capsys.readouterr().out
    finally:
        reader.close()


def test_replay_of_a_chosen_offset_and_of_nothing(capsys, prefixed):
    assert cli.main(["dlq", "replay", "lms.catalog", "--offset", "0:5"]) == 0
    assert "0 message(s) replayed" in capsys.readouterr().out
    assert _cli_json(capsys, "dlq", "list") == []
