"""Persistence helpers: inserts and version-guarded updates that carry their events."""

from __future__ import annotations

from collections.abc import Callable

from mongoengine import Document
from mongoengine.errors import NotUniqueError

from .errors import ApiError
from .events.envelope import utcnow
from .outbox import outbox_insert_fields
from .outbox_notes import announce, withdraw


def announce_for(document: Document, events: list[dict]) -> None:
    """Note `events` for the relay as about to be stored in `document` (before the write)."""
    announce(type(document)._get_db(), type(document)._get_collection_name(), document.id,
             events)


def insert_with_events(document: Document, *events: dict) -> Document:
    """Insert `document` together with `events` in one write; 409 on a unique clash."""
    for name, value in outbox_insert_fields(*events).items():
        setattr(document, name, value)
    announce_for(document, list(events))
    try:
        document.save(force_insert=True)
    except NotUniqueError as exc:
        withdraw(type(document)._get_db(), list(events))
        raise ApiError(409, "A resource with these identifying fields already exists.",
                       code="duplicate") from exc
    return document


def update_with_event(document: Document, changes: dict,
                      build_event: Callable[[Document], dict] | None) -> Document:
    """Apply `changes` and the event built from the new state in one version-guarded write."""
    old_version = document.version
    for name, value in changes.items():
        setattr(document, name, value)
    document.version = old_version + 1
    document.updated_at = utcnow()
    update = {f"set__{name}": getattr(document, name) for name in changes}
    update.update(set__version=document.version, set__updated_at=document.updated_at)
    events = [build_event(document)] if build_event is not None else []
    if events:
        update.update(push_all__outbox=events, set__outbox_last_at=events[0]["stored_at"])
        announce_for(document, events)
    matched = type(document).objects(id=document.id, version=old_version).update_one(**update)
    if not matched:
        withdraw(type(document)._get_db(), events)
        raise ApiError(409, "The resource was changed by someone else at the same time; "
                            "read it again and retry.", code="concurrent_update")
    return document


def paginate(queryset, page: int, per_page: int) -> tuple[list, int]:
    """One page of `queryset` and the total count."""
    total = queryset.count()
    return list(queryset.skip((page - 1) * per_page).limit(per_page)), total
