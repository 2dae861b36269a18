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


def is_overloaded(exc: Exception) -> bool:
    """True if the database gave up on a query for lack of time (retryable), not for its input."""
    if isinstance(exc, ExecutionTimeout):
        return True
    if isinstance(exc, OperationFailure):
        message = str(exc.details.get("errmsg", "") if exc.details else exc).lower()
        return any(marker in message for marker in _DEADLINE_MARKERS)
    return False
