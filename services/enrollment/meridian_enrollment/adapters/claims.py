"""Inserting a claim that a unique index may refuse, and per-process queueing per offering."""

from __future__ import annotations

import threading

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000

_MAX_LOCKS = 10_000
_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()


def storable(value: str) -> bool:
    """Whether a key can be looked up at all: FerretDB on PostgreSQL fails a query holding a
    NUL character (PostgreSQL text cannot store one) instead of finding nothing."""
    return "\x00" not in value


def insert_claim(collection: Collection, document: dict) -> bool:
    """Insert a claim; False when its unique key is already held."""
    try:
        collection.insert_one(document)
    except DuplicateKeyError:
        return False
    return True


def insert_claims(collection: Collection, documents: list[dict]) -> set[int]:
    """Insert many claims in one round trip; the positions a unique index refused."""
    if not documents:
        return set()
    try:
        collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors) or not errors:
            raise
        return {error["index"] for error in errors}
    return set()


def offering_lock(offering_id: str) -> threading.Lock:
    """The process-wide lock for numbered claims on `offering_id`.

    Correctness never depends on it (unique inserts decide), but letting one thread of a
    process claim an offering's numbers at a time means a rush costs a few losing inserts per
    process instead of one per competing thread.
    """
    with _registry:
        lock = _locks.get(offering_id)
        if lock is None:
            if len(_locks) >= _MAX_LOCKS:
                _locks.clear()  # at worst two threads briefly queue apart: only slower
            lock = _locks[offering_id] = threading.Lock()
        return lock


class CollectionOf:
    """A class attribute naming a Document's collection, looked up on use: after connecting,
    and again after a reconnection."""

    def __init__(self, document):
        self._document = document

    def __get__(self, instance, owner) -> Collection:
        return self._document._get_collection()
