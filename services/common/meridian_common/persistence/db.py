"""MongoDB connection per process (mongoengine), opened by the app factory or the worker."""

from __future__ import annotations

import mongoengine
from pymongo.database import Database

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
