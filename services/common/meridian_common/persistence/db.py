"""MongoDB connection per process (mongoengine), opened by the app factory or the worker."""

from __future__ import annotations

import mongoengine
from pymongo.database import Database
from pymongo.errors import ExecutionTimeout, OperationFailure

from ..config import Settings

ALIAS = "default"


def connect(settings: Settings) -> Database:
    """Connect mongoengine's default alias to this service's database and return it."""
    mongoengine.disconnect(alias=ALIAS)
    mongoengine.connect(
        db=settings.mongo_db,
        host=settings.mongo_uri,
        alias=ALIAS,
        uuidRepresentation="standard",
        tz_aware=True,
        serverSelectionTimeoutMS=3000,
        connectTimeoutMS=3000,
        socketTimeoutMS=15000,
    )
    return mongoengine.get_db(ALIAS)


def database() -> Database:
    """The pymongo database behind mongoengine's default alias."""
    return mongoengine.get_db(ALIAS)


def ping() -> None:
    """Raise if the database is unreachable."""
    database().client.admin.command("ping")


def ensure_indexes(*documents) -> None:
    """Create the declared indexes of each mongoengine Document (idempotent)."""
    for document in documents:
        document.ensure_indexes()


# FerretDB reports its own query deadline (Go's context) as a generic OperationFailure, code 1.
_DEADLINE_MARKERS = ("context deadline exceeded", "context canceled")


# FerretDB reports losing its own storage (PostgreSQL restarting, refusing connections) as a
# generic OperationFailure too: pgx's "failed to connect to", SQLSTATE class 08 (connection
# exception) or 57P (operator intervention: "the database system is starting up").
_STORAGE_DOWN_MARKERS = ("failed to connect to", "sqlstate 08", "sqlstate 57p",
                         "connection refused")


def _errmsg(exc: OperationFailure) -> str:
    return str(exc.details.get("errmsg", "") if exc.details else exc).lower()


def is_overloaded(exc: Exception) -> bool:
    """True if the database gave up on a query for lack of time (retryable), not for its input."""
    if isinstance(exc, ExecutionTimeout):
        return True
    if isinstance(exc, OperationFailure):
        return any(marker in _errmsg(exc) for marker in _DEADLINE_MARKERS)
    return False


def is_unavailable(exc: Exception) -> bool:
    """True if the database answered but its storage is unreachable (retryable shortly)."""
    return isinstance(exc, OperationFailure) and any(
        marker in _errmsg(exc) for marker in _STORAGE_DOWN_MARKERS)
