"""The `ReplanRequests` port on `reminder_replans`: one document per (user, version)."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc

from ..application.ports import ReplanRequest
from .documents import StoredReplanRequest


class MongoReplans:
    """Re-plan requests: inserted by the API, deleted by the worker that carried them out."""

    def __init__(self):
        self._rows = StoredReplanRequest._get_collection

    def request(self, user_id: str, version: int, at: datetime) -> None:
        """Ask for a re-plan once the user's preferences reach `version` (idempotent)."""
        try:
            self._rows().insert_one({"_id": f"{user_id}:{version}", "user_id": user_id,
                                     "version": version, "requested_at": at})
        except DuplicateKeyError:
            return  # asked already (a retried change)

    def pending(self, limit: int) -> list[ReplanRequest]:
        """Requests not yet done, oldest first."""
        rows = self._rows().find({}).sort("requested_at", ASCENDING).limit(limit)
        return [ReplanRequest(key=row["_id"], user_id=row["user_id"], version=row["version"],
                              requested_at=as_utc(row["requested_at"])) for row in rows]

    def done(self, request: ReplanRequest) -> None:
        """Forget a request that was carried out."""
        self._rows().delete_one({"_id": request.key})
