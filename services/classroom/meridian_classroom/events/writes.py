"""Read-model writes shaped for FerretDB: an insert or a `$set`, never an upserting replace."""

from __future__ import annotations

import uuid

from pymongo.errors import DuplicateKeyError


def write_fields(collection, key: str, fields: dict, exists: bool) -> None:
    """Store `fields` under `key`, inserting when the caller saw no document yet."""
    # An insert or a $set is several times cheaper on FerretDB than replace_one(upsert=True).
    if exists:
        collection.update_one({"_id": key}, {"$set": fields})
        return
    try:
        collection.insert_one({"_id": key, **fields})
    except DuplicateKeyError:
        collection.update_one({"_id": key}, {"$set": fields})


def store_if_newer(collection, key: str, version: int, fields: dict) -> None:
    """Store `fields` unless a document with the same or a newer version is already there."""
    current = collection.find_one({"_id": key}, {"version": 1})
    if current is None or current.get("version", -1) < version:
        write_fields(collection, key, {**fields, "version": version}, current is not None)


def renew_stamp(collection, key: str) -> None:
    """Give `key` a fresh random stamp: whatever was cached under its old stamp is now stale."""
    # A blind overwrite with a new random value: concurrent writers cannot lose a change.
    fields = {"stamp": uuid.uuid4().hex}
    if not collection.update_one({"_id": key}, {"$set": fields}).matched_count:
        write_fields(collection, key, fields, False)
