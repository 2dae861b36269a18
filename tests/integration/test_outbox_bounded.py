"""The outbox stays small and the relay publishes every event once, in order (real servers)."""

import threading

from mongoengine import DateTimeField, IntField, StringField

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, utcnow
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.persistence import db as dbmod
from meridian_common.persistence.outbox import (
    OutboxDocument,
    insert_with_events,
    update_with_events,
)
from meridian_common.persistence.pending import PUBLISHED_COLLECTION
from tests.support import TopicReader, header, wait_for

UPDATES = 200


class OutboxProbe(OutboxDocument):
    """A document updated through the one outbox entry point, as a service would."""

    meta = {"collection": "probes"}
    id = StringField(primary_key=True)
    name = StringField()
    version = IntField()
    updated_at = DateTimeField()


def _event(version: int) -> dict:
    return new_event("lms.catalog.institution.updated.v1", source="/test", key="ins_probe",
                     data={"institution_id": "ins_probe", "name": f"Probe {version}",
                           "country": "GB", "timezone": "Europe/London", "alliances": [],
                           "version": version})


def test_200_updates_keep_a_bounded_outbox_and_publish_each_event_once_in_order(
        isolated_db_name, topic_prefix):
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix})
    database = dbmod.connect(settings)
    dbmod.ensure_indexes(OutboxProbe)
    relay = OutboxRelay(settings, database, ["probes"])
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    stop = threading.Event()
    thread = threading.Thread(target=relay.run_forever, args=(stop,), daemon=True)
    thread.start()
    sent, sizes = [], []
    try:
        probe = OutboxProbe(id="ins_probe", name="Probe 1", version=1, updated_at=utcnow())
        sent.append(_event(1))
        insert_with_events(probe, sent[-1])
        for version in range(2, UPDATES + 2):
            update_with_events(probe, {"name": f"Probe {version}"},
                               lambda doc: [sent.append(_event(doc.version)) or sent[-1]])
            sizes.append(len(database.probes.find_one({"_id": "ins_probe"})["outbox"]))
        reader.wait_until(lambda seen: len(seen) >= len(sent), timeout=60)
        wait_for(lambda: database[PUBLISHED_COLLECTION].count_documents({}) == len(sent),
                 timeout=30, message="every event recorded as published")
        # One more write after everything went out: only its own event is left.
        update_with_events(probe, {"name": "Probe last"}, lambda doc: [_event(doc.version)])
        assert len(database.probes.find_one({"_id": "ins_probe"})["outbox"]) == 1
    finally:
        stop.set()
        thread.join(timeout=10)
        relay.close()
    reader.poll()
    ids = [header(m, "ce_id") for m in reader.messages]
    assert ids[:len(sent)] == [e["id"] for e in sent], "each event once, in stored order"
    assert len(set(ids)) == len(ids), "no event is published twice"
    assert max(sizes) < UPDATES // 4, f"the outbox grew with the updates: {max(sizes)}"
    reader.close()
