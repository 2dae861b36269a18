"""Which server answers: MongoDB, or FerretDB, whose gaps some service adapters work around."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database

# FerretDB (with deploy/local/ferretdb-id-index.patch) pushes a `$in` of up to 100 scalars down
# to PostgreSQL and decodes the whole collection in Go for a longer one; queries split their
# lists into `$in`s of at most this many values, the plan
# tests/integration/test_ferretdb_equality_index.py checks.
IN_VALUES_PER_QUERY = 20

# id(client) → (client, answer); holding the client keeps its id from being reused.
_known: dict[int, tuple[MongoClient, bool]] = {}


def is_ferretdb(database: Database) -> bool:
    """True when the database is served by FerretDB (its buildInfo names its version)."""
    client = database.client
    if id(client) not in _known:
        _known[id(client)] = (client, "ferretdbVersion" in database.command("buildInfo"))
    return _known[id(client)][1]


def in_chunks(values: Sequence) -> Iterator[list]:
    """`values` in lists short enough for one pushed-down `$in` each."""
    for first in range(0, len(values), IN_VALUES_PER_QUERY):
        yield list(values[first:first + IN_VALUES_PER_QUERY])


def find_in(collection: Collection, field: str, values: Iterable, query: dict | None = None,
            projection: dict | None = None) -> Iterator[dict]:
    """Documents matching `query` whose `field` is one of `values`, one `$in` per chunk."""
    for chunk in in_chunks(sorted(set(values))):
        yield from collection.find({**(query or {}), field: {"$in": chunk}}, projection)
