"""The relay's side of the outbox: finding events not yet published, recording acknowledgements."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import BulkWriteError

from ..events.envelope import as_utc, utcnow

PUBLISHED_COLLECTION = "outbox_published"


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
