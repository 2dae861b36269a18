"""The outbox relay on the real FerretDB and Kafka: publish once, in order, with CE headers."""

from datetime import timedelta

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, utcnow
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.persistence import pending
from meridian_common.persistence.outbox import outbox_fields, outbox_insert_fields
from meridian_common.persistence.pending import PUBLISHED_COLLECTION, load_cursor
from tests.support import TopicReader, header, wait_for

PAYLOAD = {"institution_id": "ins_relay", "name": "Relay U", "country": "GB",
           "timezone": "Europe/London", "alliances": [], "version": 1}


def _event(kind: str, version: int) -> dict:
    return new_event(f"lms.catalog.institution.{kind}.v1", source="/test", key="ins_relay",
                     data={**PAYLOAD, "version": version})


def test_stored_events_reach_kafka_once_in_order_and_are_marked(mongo_client, isolated_db_name,
                                                                topic_prefix):
    db = mongo_client[isolated_db_name]
    created, updated = _event("created", 1), _event("updated", 2)
    db.things.insert_one({"_id": "ins_relay", **outbox_insert_fields(created)})
    db.things.update_one({"_id": "ins_relay"}, {"$set": outbox_fields(db, [created], [updated])})
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    relay = OutboxRelay(settings, db, ["things"])
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    try:
        assert relay.run_once() == 2
        messages = reader.wait_until(lambda seen: len(seen) >= 2)
        assert [header(m, "ce_id") for m in messages] == [created["id"], updated["id"]]
        assert {m.key for m in messages} == {b"ins_relay"}
        assert header(messages[0], "ce_type") == "lms.catalog.institution.created.v1"
        assert header(messages[0], "ce_specversion") == "1.0"
        assert header(messages[0], "ce_source") == "/test"
        assert relay.run_once() == 0, "acknowledged events must not be sent again"
        marked = {d["_id"] for d in db[PUBLISHED_COLLECTION].find()}
        assert marked == {created["id"], updated["id"]}
        assert db.things.find_one({"_id": "ins_relay"})["outbox"][1]["id"] == updated["id"]
    finally:
        relay.close()
        reader.close()


def test_relay_does_not_mark_anything_when_kafka_is_unreachable(mongo_client, isolated_db_name,
                                                                topic_prefix):
    db = mongo_client[isolated_db_name]
    event = _event("created", 1)
    db.things.insert_one({"_id": "ins_relay", **outbox_insert_fields(event)})
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix,
                                           "kafka_bootstrap": "127.0.0.1:1"})
    relay = OutboxRelay(settings, db, ["things"])
    try:
        relay.run_once()
        raise AssertionError("publishing to an unreachable broker must fail")
    except Exception as exc:  # the relay surfaces the failure to its retry loop
        assert not isinstance(exc, AssertionError)
    assert db[PUBLISHED_COLLECTION].count_documents({}) == 0


def test_events_stored_in_the_same_millisecond_keep_their_order(mongo_client, isolated_db_name,
                                                                topic_prefix):
    db = mongo_client[isolated_db_name]
    events = [_event("updated", version) for version in range(1, 21)]
    same_instant = events[0]["stored_at"]
    for event in events:
        event["stored_at"] = same_instant
    db.things.insert_one({"_id": "ins_relay", **outbox_insert_fields(*events)})
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    relay = OutboxRelay(settings, db, ["things"])
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    try:
        assert relay.run_once() == 20
        messages = reader.wait_until(lambda seen: len(seen) >= 20)
        assert [header(m, "ce_id") for m in messages] == [e["id"] for e in events]
    finally:
        relay.close()
        reader.close()


def test_a_write_stamped_before_earlier_rounds_is_still_published(mongo_client, isolated_db_name,
                                                                  topic_prefix):
    db = mongo_client[isolated_db_name]
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    relay = OutboxRelay(settings, db, ["things"])
    try:
        assert relay.run_once() == 0 and relay.run_once() == 0
        late = _event("created", 1)
        late["stored_at"] = utcnow() - timedelta(seconds=30)  # a write that stalled that long
        db.things.insert_one({"_id": "ins_relay", **outbox_insert_fields(late)})
        sent = []
        wait_for(lambda: sent.append(relay.run_once()) or sum(sent) == 1, timeout=30,
                 message="the late write published by a wider round")
        assert db[PUBLISHED_COLLECTION].find_one({"_id": late["id"]}) is not None
    finally:
        relay.close()


def test_a_restarted_relay_resumes_from_its_cursor(mongo_client, isolated_db_name, topic_prefix):
    db = mongo_client[isolated_db_name]
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    first = OutboxRelay(settings, db, ["things"])
    try:
        assert first.run_once() == 0
    finally:
        first.close()
    assert load_cursor(db, "relaytest") is not None
    while_down = _event("created", 1)
    db.things.insert_one({"_id": "ins_relay", **outbox_insert_fields(while_down)})
    second = OutboxRelay(settings, db, ["things"])
    try:
        assert second.run_once() == 1
        assert second.run_once() == 0
    finally:
        second.close()


def test_a_write_stamped_by_the_previous_build_minute_slots_is_published(
        mongo_client, isolated_db_name, topic_prefix):
    """During a rolling upgrade older writers stamp minute slots; the relay still finds them."""
    db = mongo_client[isolated_db_name]
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    relay = OutboxRelay(settings, db, ["things"])
    try:
        assert relay.run_once() == 0
        old_build = _event("created", 1)
        fields = outbox_insert_fields(old_build)
        fields["outbox_slot"] = int(fields["outbox_last_at"].timestamp()) // 60
        db.things.insert_one({"_id": "ins_relay", **fields})
        assert relay.run_once() == 1
    finally:
        relay.close()


def test_rounds_ask_only_for_the_seconds_not_yet_covered(mongo_client, isolated_db_name,
                                                         topic_prefix, monkeypatch):
    """After the first round, a round's slots span a few seconds plus one sweep slot."""
    db = mongo_client[isolated_db_name]
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix,
                                           "relay_find_by_time": False})
    relay = OutboxRelay(settings, db, ["things"])
    asked: list[list[int]] = []
    original = pending.events_in_slots
    monkeypatch.setattr(pending, "events_in_slots", lambda d, c, slots, since: asked.append(
        slots) or original(d, c, slots, since))
    try:
        for _ in range(3):
            relay.run_once()
    finally:
        relay.close()
    assert len(asked) == 2, "the first round (no cursor yet) reads by time, the others by slot"
    for slots in asked:
        seconds = [s for s in slots if s > 10 ** 9]
        assert 1 <= len(seconds) <= 6, f"a round read {len(seconds)} seconds of writes"
