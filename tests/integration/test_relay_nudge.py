"""Relay nudges on the real FerretDB and Kafka: an event stored through the outbox entry point
reaches Kafka long before the relay's (here 30 s) poll would have found it, and `stop` ends a
relay waiting on its nudge socket at once."""

import threading
import time

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, utcnow
from meridian_common.messaging import relay_nudge
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.messaging.relay_nudge import NudgeListener, NudgeSender
from meridian_common.persistence import db as dbmod
from meridian_common.persistence.outbox import insert_with_events
from meridian_common.persistence.pending import load_cursor
from tests.integration.test_outbox_bounded import OutboxProbe
from tests.support import TopicReader, header, wait_for

POLL_SECONDS = 30.0
# Well inside the poll: only a nudge can get the event out this soon.
NUDGED_WITHIN = 5.0


def _event(key: str) -> dict:
    return new_event("lms.catalog.institution.created.v1", source="/test", key=key,
                     data={"institution_id": key, "name": "Nudged U", "country": "GB",
                           "timezone": "Europe/London", "alliances": [], "version": 1})


def test_a_stored_event_is_published_at_once_when_the_relay_is_nudged(isolated_db_name,
                                                                      topic_prefix):
    settings = load_settings("relaytest", {"mongo_db": isolated_db_name,
                                           "topic_prefix": topic_prefix,
                                           "relay_poll_seconds": POLL_SECONDS})
    database = dbmod.connect(settings)
    dbmod.ensure_indexes(OutboxProbe)
    listener = NudgeListener("127.0.0.1:0")
    relay = OutboxRelay(settings, database, ["probes"], listener)
    reader = TopicReader(f"{topic_prefix}lms.catalog")
    stop = threading.Event()
    thread = threading.Thread(target=relay.run_forever, args=(stop,), daemon=True)
    thread.start()
    token = relay_nudge.bind(NudgeSender(listener.address, "relaytest"))
    try:
        # The first round (at start) has run and recorded its cursor: the relay now waits.
        wait_for(lambda: load_cursor(database, "relaytest") is not None, timeout=30,
                 message="the relay's first round")
        events = []
        for n in range(3):
            events.append(_event(f"ins_nudge_{n}"))
            insert_with_events(OutboxProbe(id=f"ins_nudge_{n}", name="Nudged U", version=1,
                                           updated_at=utcnow()),
                               events[-1])
            messages = reader.wait_until(lambda seen, count=n + 1: len(seen) >= count,
                                         timeout=NUDGED_WITHIN)
        assert [header(m, "ce_id") for m in messages] == [e["id"] for e in events]
        stop.set()
        stopped_at = time.monotonic()
        listener.nudge()
        thread.join(timeout=NUDGED_WITHIN)
        assert not thread.is_alive() and time.monotonic() - stopped_at < NUDGED_WITHIN
    finally:
        relay_nudge._bound.reset(token)
        stop.set()
        listener.nudge()
        thread.join(timeout=10)
        relay.close()
        listener.close()
        reader.close()
