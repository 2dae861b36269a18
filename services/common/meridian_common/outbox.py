"""Transactional outbox without transactions: events ride inside the state change's own write.

A service stores each event inside the document whose change caused it, in the same single
write (`outbox` list, `outbox_last_at` timestamp). The relay never writes those documents (so
there is one writer per document, which FerretDB's non-isolated updates require); it records
what Kafka acknowledged by inserting into `outbox_published`, keyed by event id. See
docs/decisions/0002-outbox-embedded-events.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mongoengine import DateTimeField, DictField, Document, ListField
from pymongo.errors import BulkWriteError

from .events.envelope import as_utc, utcnow

PUBLISHED_COLLECTION = "outbox_published"


class OutboxDocument(Document):
    """Base for mongoengine Documents that carry their own pending events."""

    meta = {"abstract": True, "indexes": ["outbox_last_at"]}
    outbox = ListField(DictField(), default=list)
    outbox_last_at = DateTimeField()

    @classmethod
    def current(cls, **filters):
        """A queryset for reading state, without the (growing) embedded event history."""
        return cls.objects(**filters).exclude("outbox")


def outbox_insert_fields(*events: dict) -> dict:
    """Fields to include in a new document so its insert also stores `events`."""
    return {"outbox": list(events), "outbox_last_at": events[-1]["stored_at"] if events else None}


def outbox_update_ops(*events: dict) -> dict:
    """mongoengine update kwargs that append `events` in the same single-document write."""
    return {"push_all__outbox": list(events), "set__outbox_last_at": events[-1]["stored_at"]}


def outbox_raw_update(*events: dict) -> dict:
    """The same as `outbox_update_ops`, as a raw pymongo update document fragment."""
    return {"$push": {"outbox": {"$each": list(events)}},
            "$set": {"outbox_last_at": events[-1]["stored_at"]}}


def pending_events(db, collections: list[str], since: datetime) -> list[dict]:
    """Events stored since `since` in `collections` that no relay has published yet."""
    candidates: list[dict] = []
    for name in collections:
        cursor = db[name].find({"outbox_last_at": {"$gte": since}}, {"outbox": 1})
        for doc in cursor:
            candidates.extend(e for e in doc.get("outbox", []) if as_utc(e["stored_at"]) >= since)
    if not candidates:
        return []
    ids = [e["id"] for e in candidates]
    done = {d["_id"] for d in db[PUBLISHED_COLLECTION].find({"_id": {"$in": ids}}, {"_id": 1})}
    pending = [e for e in candidates if e["id"] not in done]
    # A stable sort: events of one document stored in the same millisecond keep their order.
    pending.sort(key=lambda e: as_utc(e["stored_at"]))
    return pending


def mark_published(db, acknowledged: list[dict]) -> None:
    """Record Kafka's acknowledgements (insert-only; duplicates from a re-run are ignored)."""
    if not acknowledged:
        return
    try:
        db[PUBLISHED_COLLECTION].insert_many(acknowledged, ordered=False)
    except BulkWriteError as exc:
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise


def backlog(db, collections: list[str], lookback: timedelta = timedelta(days=7)) -> int:
    """How many stored events still wait for the relay (for metrics and the ops CLI)."""
    return len(pending_events(db, collections, utcnow() - lookback))
