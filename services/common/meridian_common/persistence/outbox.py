"""Transactional outbox without transactions: events ride inside the state change's own write.

A service stores each event inside the document whose change caused it, in the same single
write (`outbox` list, `outbox_last_at` timestamp). The relay never writes those documents (so
there is one writer per document, which FerretDB's non-isolated updates require); it records
what Kafka acknowledged by inserting into `outbox_published`, keyed by event id. See
docs/decisions/0002-outbox-embedded-events.md.

`insert_with_events` and `update_with_events` are the one entry point services write through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mongoengine import DateTimeField, DictField, Document, ListField
from mongoengine.errors import NotUniqueError

from ..conflicts import Conflict
from ..events.envelope import utcnow
from .outbox_notes import announce, withdraw

EventsFor = Callable[[Document], Iterable[dict]]


class OutboxDocument(Document):
    """Base for mongoengine Documents that carry their own pending events."""

    meta = {"abstract": True, "indexes": ["outbox_last_at"]}
    outbox = ListField(DictField(), default=list)
    outbox_last_at = DateTimeField()

    @classmethod
    def current(cls, **filters):
        """A queryset for reading state, without the embedded events."""
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


def announce_for(document: Document, events: list[dict]) -> None:
    """Note `events` for the relay as about to be stored in `document` (before the write)."""
    announce(type(document)._get_db(), type(document)._get_collection_name(), document.id,
             events)


def insert_with_events(document: Document, *events: dict) -> Document:
    """Insert `document` together with `events` in one write; Conflict("duplicate") on a clash."""
    for name, value in outbox_insert_fields(*events).items():
        setattr(document, name, value)
    announce_for(document, list(events))
    try:
        document.save(force_insert=True)
    except NotUniqueError as exc:
        withdraw(type(document)._get_db(), list(events))
        raise Conflict("duplicate",
                       "A resource with these identifying fields already exists.") from exc
    return document


def update_with_events(document: Document, changes: dict,
                       events_for: EventsFor | None) -> Document:
    """Apply `changes` and the events built from the new state in one version-guarded write.

    Raises Conflict("concurrent_update") when the stored version is no longer the one read.
    """
    old_version = document.version
    for name, value in changes.items():
        setattr(document, name, value)
    document.version = old_version + 1
    document.updated_at = utcnow()
    update = {f"set__{name}": getattr(document, name) for name in changes}
    update.update(set__version=document.version, set__updated_at=document.updated_at)
    events = list(events_for(document)) if events_for is not None else []
    if events:
        update.update(push_all__outbox=events, set__outbox_last_at=events[-1]["stored_at"])
        announce_for(document, events)
    matched = type(document).objects(id=document.id, version=old_version).update_one(**update)
    if not matched:
        withdraw(type(document)._get_db(), events)
        raise Conflict("concurrent_update", "The resource was changed by someone else at the "
                                            "same time; read it again and retry.")
    return document
