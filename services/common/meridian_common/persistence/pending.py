"""The relay's side of the outbox: finding unpublished events, recording what Kafka acknowledged.

Writers stamp each document that gains events with `outbox_last_at` (its last event's time)
and `outbox_slot` (that time's second since the epoch). The relay asks each collection once a
round (per 20 slots) for `{outbox_slot: {$in: slots}, outbox_last_at: {$gte: since}}`, the few
seconds it has not covered yet plus the older ones its sweep reads again:
- MongoDB serves it from the (outbox_slot, outbox_last_at) index;
- FerretDB 1.24 on PostgreSQL, with deploy/local/ferretdb-id-index.patch, pushes the `$in` down
  as OR-ed JSONB containments, which the collection's GIN index serves; ranges are filtered in
  Go after decoding. So only documents written in those seconds are decoded: a round costs what
  was written since the last round, not what was written in the last minute. PostgreSQL
  estimates each containment at a fixed 1 % of the rows, so a `$in` of a few slots was planned
  as a sequential scan once; run-ferretdb.sh now prices `jsonb_contains` at COST 50, which
  makes the index scan the cheaper plan (tests/integration/test_ferretdb_equality_index.py
  checks a 20-value `$in`). On SQLite the same query works, decoding everything.
A published event is recorded in `outbox_published` under its id (an insert: the relay never
writes service documents); ids are looked up one by one, as `_id` equality is the one lookup
FerretDB serves from an index (with deploy/local/ferretdb-id-index.patch).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import BulkWriteError

from ..events.envelope import as_utc, utcnow
from .server import find_in

PUBLISHED_COLLECTION = "outbox_published"
RELAY_STATE_COLLECTION = "outbox_relay"
SLOT_SECONDS = 1
# Writers of builds before slots were seconds stamp a minute number (a different range of
# integers, so never mistaken for a second): the relay also asks for those minutes once per
# sweep, so events written by the previous build during a rolling upgrade are still found.
LEGACY_SLOT_SECONDS = 60


def slot_of(moment: datetime) -> int:
    """The outbox slot (second since the epoch) of a moment."""
    return int(as_utc(moment).timestamp()) // SLOT_SECONDS


def slots_between(since: datetime, until: datetime) -> list[int]:
    """Every slot from the one holding `since` to the one holding `until`."""
    return list(range(slot_of(since), slot_of(until) + 1))


def legacy_slots_between(since: datetime, until: datetime) -> list[int]:
    """The minute slots older writers stamped for the same span."""
    first, last = (int(as_utc(m).timestamp()) // LEGACY_SLOT_SECONDS for m in (since, until))
    return list(range(first, last + 1))


def is_published(db, event_id: str) -> bool:
    """True when a relay recorded Kafka's acknowledgement of the event."""
    return db[PUBLISHED_COLLECTION].find_one({"_id": event_id}, {"_id": 1}) is not None


def unpublished(db, events: list[dict]) -> list[dict]:
    """The events (in order) that no relay has recorded as published yet."""
    return [e for e in events if not is_published(db, e["id"])]


def events_in_slots(db, collection: str, slots: list[int], since: datetime) -> list[dict]:
    """Events stored from `since` on in the documents of `collection` last written in `slots`."""
    found: list[dict] = []
    # A round's slots (two or three, plus the sweep's few) fit one `$in`; a first round after
    # a stop asks for up to 900.
    for doc in find_in(db[collection], "outbox_slot", slots,
                       query={"outbox_last_at": {"$gte": since}}, projection={"outbox": 1}):
        found.extend(e for e in doc.get("outbox") or [] if as_utc(e["stored_at"]) >= since)
    return found


def events_since(db, collection: str, since: datetime) -> list[dict]:
    """Events stored since `since`, by time alone (documents written before slots existed)."""
    found: list[dict] = []
    for doc in db[collection].find({"outbox_last_at": {"$gte": since}}, {"outbox": 1}):
        found.extend(e for e in doc.get("outbox") or [] if as_utc(e["stored_at"]) >= since)
    return found


def in_stored_order(events: list[dict]) -> list[dict]:
    """Events sorted by storage time (stable: one write's events keep their order)."""
    return sorted(events, key=lambda e: as_utc(e["stored_at"]))


def mark_published(db, acknowledged: list[dict]) -> None:
    """Record Kafka's acknowledgements (insert-only; duplicates from a re-run are ignored)."""
    if not acknowledged:
        return
    try:
        db[PUBLISHED_COLLECTION].insert_many(acknowledged, ordered=False)
    except BulkWriteError as exc:
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise


def load_cursor(db, name: str) -> datetime | None:
    """Where a relay had got to (everything stored before it was published), if recorded."""
    row = db[RELAY_STATE_COLLECTION].find_one({"_id": name})
    return as_utc(row["since"]) if row else None


def save_cursor(db, name: str, since: datetime) -> None:
    """Record the relay's progress (the relay is the one writer of its own state document)."""
    if not db[RELAY_STATE_COLLECTION].update_one({"_id": name}, {"$set": {"since": since}}
                                                 ).matched_count:
        db[RELAY_STATE_COLLECTION].update_one({"_id": name}, {"$set": {"since": since}},
                                              upsert=True)


def pending_events(db, collections: list[str], since: datetime) -> list[dict]:
    """Unpublished events stored since `since`, oldest first, by time alone (ops and metrics)."""
    found = [e for name in collections for e in events_since(db, name, since)]
    return in_stored_order(unpublished(db, found))


def backlog(db, collections: list[str], lookback: timedelta = timedelta(days=7)) -> int:
    """How many stored events still wait for the relay (for metrics and the ops CLI)."""
    return len(pending_events(db, collections, utcnow() - lookback))
