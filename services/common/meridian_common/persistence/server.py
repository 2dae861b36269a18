"""Which server answers: MongoDB, or FerretDB, whose gaps some service adapters work around."""

from __future__ import annotations

from pymongo import MongoClient
from pymongo.database import Database

# id(client) → (client, answer); holding the client keeps its id from being reused.
_known: dict[int, tuple[MongoClient, bool]] = {}


def is_ferretdb(database: Database) -> bool:
    """True when the database is served by FerretDB (its buildInfo names its version)."""
    client = database.client
    if id(client) not in _known:
        _known[id(client)] = (client, "ferretdbVersion" in database.command("buildInfo"))
    return _known[id(client)][1]
