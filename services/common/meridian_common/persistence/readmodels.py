"""The one "newest version wins" writer for read models fed by events.

A consumer may see an aggregate's events again (at-least-once delivery) or, across a
rebalance, out of order; the row keeps whatever the highest version said. The filter
`version < new` guards every update, and a first insert that loses to a concurrent one falls
back to that same guarded update, so a newer version is never dropped for arriving second.
MongoDB evaluates the guard atomically. FerretDB 1.x checks it outside any isolation, so two
*concurrent* updates of one key could still interleave there; consumers avoid that by being the
one writer of their rows (one consumer per partition, events keyed by aggregate).
"""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError


def _guarded_update(collection, key, version: int, document: dict) -> bool:
    # `$set`, not `replace_one`: FerretDB runs a replace with upsert several times slower.
    result = collection.update_one({"_id": key, "version": {"$lt": version}},
                                   {"$set": document})
    return result.matched_count > 0


def apply_newest(collection, key, version: int, fields: dict) -> bool:
    """Store `fields` (and `version`) under `key` unless a same or newer version is stored.

    Returns True if this version was written. `collection` is a pymongo collection.
    """
    document = {**fields, "version": version}
    if _guarded_update(collection, key, version, document):
        return True
    try:
        collection.insert_one({"_id": key, **document})
        return True
    except DuplicateKeyError:
        # The row exists: either it is already as new (refused below), or another writer
        # inserted an older version between our update and our insert (ours must still win).
        return _guarded_update(collection, key, version, document)
