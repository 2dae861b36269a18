"""Transactional outbox without transactions: events ride inside the state change's own write.

A service stores each event inside the document whose change caused it, in the same single
write (`outbox` list, plus `outbox_last_at` and `outbox_slot` for the relay to find it). The
relay never writes those documents (so there is one writer per document, which FerretDB's
non-isolated updates require); it records what Kafka acknowledged in `outbox_published`. The
writer, at its next version-guarded write of the same document, drops the events recorded
there, so a document keeps only its last write's events and the ones still unpublished. See
docs/decisions/0002-outbox-embedded-events.md.

`insert_with_events` and `update_with_events` are the one entry point services write through;
`outbox_fields` gives the same fields to writers that must speak pymongo themselves, which call
`nudge_relay` after their write. A nudge wakes the service's relay at once (a hint: the relay
still polls, so a lost nudge only delays the event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mongoengine import DateTimeField, DictField, Document, IntField, ListField
from mongoengine.errors import NotUniqueError

from ..conflicts import Conflict
from ..events.envelope import as_utc, utcnow
from ..messaging.relay_nudge import nudge_relay
from .pending import slot_of, unpublished

EventsFor = Callable[[Document], Iterable[dict]]


class OutboxDocument(Document):
    """Base for mongoengine Documents that carry their own pending events."""

    # (slot, last_at) serves the relay's query on MongoDB; see pending.py for FerretDB.
    meta = {"abstract": True, "indexes": [("outbox_slot", "outbox_last_at")]}
    outbox = ListField(DictField(), default=list)
    outbox_last_at = DateTimeField()
    outbox_slot = IntField()

    @classmethod
    def current(cls, **filters):
        """A queryset for reading state, without the embedded events."""
        return cls.objects(**filters).exclude("outbox")


def outbox_fields(db, kept: list[dict], events: list[dict]) -> dict:
    """The outbox fields of a write that adds `events` to a document holding `kept`.

    Events of `kept` that the relay has recorded as published are dropped; pass the stored
    outbox as read under the same version guard the write uses (or [] for an insert).
    """
    outbox = unpublished(db, kept) + list(events)
    fields: dict = {"outbox": outbox}
    if events:
        last = as_utc(events[-1]["stored_at"])
        fields.update(outbox_last_at=last, outbox_slot=slot_of(last))
    return fields


def outbox_insert_fields(*events: dict) -> dict:
    """Fields to include in a new document so its insert also stores `events`."""
    return outbox_fields(None, [], list(events))


def stored_outbox(collection, document_id, version: int | None = None) -> list[dict] | None:
    """The events stored in a document (None when it is gone or no longer at `version`)."""
    query = {"_id": document_id} if version is None else {"_id": document_id, "version": version}
    stored = collection.find_one(query, {"outbox": 1, "version": 1})
    if stored is None or (version is not None and stored.get("version") != version):
        return None
    return list(stored.get("outbox") or [])


def insert_with_events(document: Document, *events: dict) -> Document:
    """Insert `document` together with `events` in one write; Conflict("duplicate") on a clash."""
    for name, value in outbox_insert_fields(*events).items():
        setattr(document, name, value)
    try:
        document.save(force_insert=True)
    except NotUniqueError as exc:
        raise Conflict("duplicate",
                       "A resource with these identifying fields already exists.") from exc
    if events:
        nudge_relay()
    return document


def _concurrent() -> Conflict:
    return Conflict("concurrent_update",
                    "The resource was changed by someone else at the same time; read it again "
                    "and retry.")


def update_with_events(document: Document, changes: dict,
                       events_for: EventsFor | None) -> Document:
    """Apply `changes` and the events built from the new state in one version-guarded write.

    Raises Conflict("concurrent_update") when the stored version is no longer the one read.
    """
    cls = type(document)
    old_version = document.version
    kept = stored_outbox(cls._get_collection(), document.id, old_version)
    if kept is None:
        raise _concurrent()
    for name, value in changes.items():
        setattr(document, name, value)
    document.version = old_version + 1
    document.updated_at = utcnow()
    update = {f"set__{name}": getattr(document, name) for name in changes}
    update.update(set__version=document.version, set__updated_at=document.updated_at)
    events = list(events_for(document)) if events_for is not None else []
    if events or kept:
        outbox = outbox_fields(cls._get_db(), kept, events)
        update.update({f"set__{name}": value for name, value in outbox.items()})
    if not cls.objects(id=document.id, version=old_version).update_one(**update):
        raise _concurrent()
    if events:
        nudge_relay()
    return document
