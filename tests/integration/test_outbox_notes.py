"""Outbox notes on the real FerretDB and Kafka: between full scans the relay finds fresh events
through the writers' notes, in order and once; expired notes go; unnoted events still go out."""

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.persistence import outbox_notes
from meridian_common.persistence.outbox import outbox_raw_update
from meridian_common.persistence.outbox_notes import NOTES_COLLECTION, announce
from meridian_common.persistence.pending import PUBLISHED_COLLECTION, mark_published
from tests.support import TopicReader, header

PAYLOAD = {"institution_id": "ins_notes", "name": "Notes U", "country": "GB",
           "timezone": "Europe/London", "alliances": [], "version": 1}


def _event(version: int) -> dict:
    return new_event("lms.catalog.institution.updated.v1", source="/test", key="ins_notes",
                     data={**PAYLOAD, "version": version})


def _relay(db, db_name: str, prefix: str) -> OutboxRelay:
    settings = load_settings("notestest", {"mongo_db": db_name, "topic_prefix": prefix,
                                           "relay_full_scan_seconds": 3600})
    relay = OutboxRelay(settings, db, ["things"])
    assert relay.run_once() == 0, "the first round is a full scan of an empty outbox"
    return relay


def _store(db, *events: dict, noted: bool = True) -> None:
    if noted:
        announce(db, "things", "ins_notes", list(events))
    if db.things.find_one({"_id": "ins_notes"}) is None:
        db.things.insert_one({"_id": "ins_notes", "outbox": list(events),
                              "outbox_last_at": events[-1]["stored_at"]})
    else:
        db.things.update_one({"_id": "ins_notes"}, outbox_raw_update(*events))


def test_noted_events_go_out_in_order_between_full_scans(mongo_client, isolated_db_name,
                                                         topic_prefix):
    db = mongo_client[isolated_db_name]
    relay = _relay(db, isolated_db_name, topic_prefix)
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    try:
        first, second = _event(2), _event(3)
        second["stored_at"] = first["stored_at"]
        _store(db, first, second)
        assert relay.run_once() == 2
        messages = reader.wait_until(lambda seen: len(seen) >= 2)
        assert [header(m, "ce_id") for m in messages] == [first["id"], second["id"]]
        assert db[NOTES_COLLECTION].count_documents({}) == 0, "published notes are cleared"
        assert relay.run_once() == 0

        unnoted = _event(4)
        _store(db, unnoted, noted=False)
        assert relay.run_once() == 0, "without a note, only a full scan finds the event"
        relay._next_full_scan = 0.0
        assert relay.run_once() == 1
        reader.wait_until(lambda seen: len(seen) >= 3)
        assert header(reader.messages[2], "ce_id") == unnoted["id"]
    finally:
        relay.close()
        reader.close()


def test_a_note_for_an_event_already_published_is_cleared_without_resending(
        mongo_client, isolated_db_name, topic_prefix):
    db = mongo_client[isolated_db_name]
    relay = _relay(db, isolated_db_name, topic_prefix)
    try:
        event = _event(5)
        _store(db, event)
        # As if a relay died after Kafka acknowledged and before it cleared the note.
        mark_published(db, [{"_id": event["id"], "topic": "t", "type": event["type"],
                             "partition": 0, "offset": 0}])
        assert relay.run_once() == 0
        assert db[NOTES_COLLECTION].count_documents({}) == 0
        assert db[PUBLISHED_COLLECTION].count_documents({}) == 1
    finally:
        relay.close()


def test_a_note_whose_write_never_happened_expires(mongo_client, isolated_db_name,
                                                   topic_prefix, monkeypatch):
    db = mongo_client[isolated_db_name]
    relay = _relay(db, isolated_db_name, topic_prefix)
    try:
        announce(db, "things", "ins_never", [_event(6)])
        assert relay.run_once() == 0
        assert db[NOTES_COLLECTION].count_documents({}) == 1, "the write may still be coming"
        monkeypatch.setattr(outbox_notes, "NOTE_TTL", outbox_notes.NOTE_TTL * 0)
        assert relay.run_once() == 0
        assert db[NOTES_COLLECTION].count_documents({}) == 0
    finally:
        relay.close()
