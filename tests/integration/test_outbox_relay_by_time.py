"""The outbox relay finding events by time (MERIDIAN_RELAY_FIND_BY=time, the SQLite setting) on
the real FerretDB and Kafka: every event once, late writes too, one query per round."""

from datetime import timedelta

from pymongo import monitoring

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, utcnow
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.persistence.outbox import outbox_insert_fields
from meridian_common.persistence.pending import PUBLISHED_COLLECTION
from tests.support import TopicReader, header


class Finds(monitoring.CommandListener):
    """Counts the `find` commands sent to one collection."""

    def __init__(self, collection: str):
        self.collection, self.count = collection, 0

    def started(self, event):
        if event.command_name == "find" and event.command.get("find") == self.collection:
            self.count += 1

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def _event(n: int) -> dict:
    return new_event("lms.catalog.institution.created.v1", source="/test", key=f"ins_{n}",
                     data={"institution_id": f"ins_{n}", "name": "Relay U", "country": "GB",
                           "timezone": "Europe/London", "alliances": [], "version": 1})


def test_by_time_every_event_goes_once_and_a_late_write_is_found(mongo_client,
                                                                 isolated_db_name,
                                                                 topic_prefix):
    finds = Finds("things")
    client = type(mongo_client)(mongo_client.address[0], mongo_client.address[1],
                                tz_aware=True, event_listeners=[finds])
    db = client[isolated_db_name]
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix,
                                           "relay_find_by_time": True})
    relay = OutboxRelay(settings, db, ["things"])
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    try:
        assert relay.run_once() == 0
        early = _event(1)
        db.things.insert_one({"_id": "ins_1", **outbox_insert_fields(early)})
        assert relay.run_once() == 1
        late = _event(2)
        late["stored_at"] = utcnow() - timedelta(seconds=30)  # a write that stalled that long
        db.things.insert_one({"_id": "ins_2", **outbox_insert_fields(late)})
        finds.count = 0
        assert relay.run_once() == 1
        assert finds.count == 1, "one query a round, whatever the seconds it covers"
        assert relay.run_once() == 0, "published events are not sent again"
        messages = reader.wait_until(lambda seen: len(seen) >= 2)
        # Two keys, so two partitions: each event once, in no particular order between them.
        assert sorted(header(m, "ce_id") for m in messages) == sorted([early["id"], late["id"]])
        marked = {d["_id"] for d in db[PUBLISHED_COLLECTION].find()}
        assert marked == {early["id"], late["id"]}
    finally:
        relay.close()
        reader.close()
        client.close()
