"""Notes that tell the relay where fresh events are, so it need not scan every document.

FerretDB 1.x serves only `_id` equality without decoding the whole collection, so a relay that
finds new events by `outbox_last_at` costs a full scan of every outbox collection each round.
Writers therefore insert a small note per event (its id, collection and document) *before* the
write that stores the event; the relay reads the notes (a small collection: they are deleted
once published), fetches each noted document by `_id`, and publishes what it finds. A note whose
write never happened (a refused update, a crash) expires after `NOTE_TTL`. The relay still scans
the outbox collections now and then, so an event is published even if its note was lost.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from pymongo.errors import BulkWriteError

from ..events.envelope import as_utc, utcnow
from .pending import PUBLISHED_COLLECTION

NOTES_COLLECTION = "outbox_notes"
NOTE_TTL = timedelta(minutes=5)
MAX_NOTES_PER_ROUND = 500


def announce(db, collection: str, document_id: str, events: list[dict]) -> None:
    """Note `events` as about to be stored in `collection`/`document_id`; call before writing."""
    if not events:
        return
    notes = [{"_id": e["id"], "collection": collection, "document": document_id,
              "at": e["stored_at"]} for e in events]
    try:
        db[NOTES_COLLECTION].insert_many(notes, ordered=False)
    except BulkWriteError as exc:  # a retried write announces the same events again
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise


def withdraw(db, events: list[dict]) -> None:
    """Drop the notes of events whose write was refused (saves the relay a wait for expiry)."""
    for event in events:
        db[NOTES_COLLECTION].delete_one({"_id": event["id"]})


def noted_events(db, published: set[str] | None = None) -> tuple[list[dict], list[str]]:
    """Events found through the notes (oldest first), and the ids of notes that can go.

    A note can go once its event is published (by anyone) or once it expired without its event
    ever appearing; `published` holds ids already known to be published.
    """
    notes = sorted(db[NOTES_COLLECTION].find({}), key=lambda n: as_utc(n["at"]))
    notes = notes[:MAX_NOTES_PER_ROUND]
    by_document: dict[tuple[str, str], set[str]] = defaultdict(set)
    for note in notes:
        by_document[note["collection"], note["document"]].add(note["_id"])
    found: dict[str, dict] = {}
    for (collection, document_id), ids in by_document.items():
        stored = db[collection].find_one({"_id": document_id}, {"outbox": 1}) or {}
        found.update((e["id"], e) for e in stored.get("outbox", []) if e["id"] in ids)
    done = set(published or ())
    done.update(event_id for event_id in found if event_id not in done
                and db[PUBLISHED_COLLECTION].find_one({"_id": event_id}, {"_id": 1}))
    expired_before = utcnow() - NOTE_TTL
    clear = [n["_id"] for n in notes if n["_id"] in done
             or (n["_id"] not in found and as_utc(n["at"]) < expired_before)]
    pending = sorted((e for i, e in found.items() if i not in done),
                     key=lambda e: as_utc(e["stored_at"]))
    return pending, clear


def clear_notes(db, note_ids: list[str]) -> None:
    """Delete notes the relay no longer needs."""
    if note_ids:
        db[NOTES_COLLECTION].delete_many({"_id": {"$in": note_ids}})
