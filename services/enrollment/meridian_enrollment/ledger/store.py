"""Where claims live: one small set of collections per offering, plus claim helpers.

FerretDB 1.x (SQLite) answers every query by scanning the whole collection, so an offering's
hot claims (students, seats, tickets) live in that offering's own collections and a request
reads only its own offering's claims, whatever the size of the platform.
"""

from __future__ import annotations

import hashlib
import json
import re

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from meridian_common.persistence import db

KINDS = ("students", "seats", "quotas", "tickets", "departures")
PREFIX = "ledger."
_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def key(*parts: object) -> str:
    """An unambiguous `_id` from parts that may themselves contain any character."""
    return json.dumps(list(parts), separators=(",", ":"), ensure_ascii=False)


def collection_part(offering_id: str) -> str:
    """The offering's part of its ledger collection names (hashed if not name-safe)."""
    if _SAFE.match(offering_id):
        return offering_id
    return "h" + hashlib.sha256(offering_id.encode()).hexdigest()[:40]


def ledger(offering_id: str, kind: str) -> Collection:
    """One of an offering's ledger collections (`students`, `seats`, `quotas`, ...)."""
    if kind not in KINDS:
        raise ValueError(f"unknown ledger kind: {kind}")
    return db.database()[f"{PREFIX}{collection_part(offering_id)}.{kind}"]


def existing_ledgers() -> set[str]:
    """Names of the ledger collections that exist (for the repair sweep)."""
    return {name for name in db.database().list_collection_names() if name.startswith(PREFIX)}


def insert_claim(collection: Collection, document: dict) -> bool:
    """Insert a claim; False when its `_id` is already held."""
    try:
        collection.insert_one(document)
    except DuplicateKeyError:
        return False
    return True
