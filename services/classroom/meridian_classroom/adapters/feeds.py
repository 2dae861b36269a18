"""Calendar feed secrets (their hashes) and the zones users' tokens name, on MongoDB."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.server import find_in

from .documents import CalendarFeed, UserZone

_SEEN_LIMIT = 50_000


class MongoFeeds:
    """The `Feeds` port on `calendar_feeds` (unique index on the token hash)."""

    def __init__(self):
        self._rows = CalendarFeed._get_collection

    def replace(self, user_id: str, token_hash: str, created_at: datetime) -> None:
        """The user's one feed now has this secret."""
        self._rows().replace_one({"_id": user_id},
                                 {"token_hash": token_hash, "created_at": created_at},
                                 upsert=True)

    def revoke(self, user_id: str) -> bool:
        """Forget the user's feed; False when there was none."""
        return self._rows().delete_one({"_id": user_id}).deleted_count > 0

    def created_at(self, user_id: str) -> datetime | None:
        """When the user's current feed was issued."""
        row = self._rows().find_one({"_id": user_id}, {"created_at": 1})
        return as_utc(row["created_at"]) if row else None

    def holder(self, token_hash: str) -> str | None:
        """The user whose feed has this secret."""
        row = self._rows().find_one({"token_hash": token_hash}, {"_id": 1})
        return row["_id"] if row else None


class MongoUserZones:
    """The `UserZones` port on `user_zones`, skipping writes for zones already stored."""

    def __init__(self):
        # (database, user) → zone already stored, so a steady user costs no write per request;
        # the database is part of the key so a process never trusts another database's state.
        self._seen: dict[tuple[str, str], str] = {}

    def remember(self, user_id: str, zone: str) -> None:
        """Store the user's zone when it is new or changed."""
        collection = UserZone._get_collection()
        seen_key = (collection.database.name, user_id)
        if self._seen.get(seen_key) == zone:
            return
        stored = collection.find_one({"_id": user_id}, {"timezone": 1})
        if stored is None:
            try:
                collection.insert_one({"_id": user_id, "timezone": zone, "seen_at": utcnow()})
            except DuplicateKeyError:
                return  # a concurrent first request of the same user stored it
        elif stored["timezone"] != zone:
            collection.update_one({"_id": user_id},
                                  {"$set": {"timezone": zone, "seen_at": utcnow()}})
        if len(self._seen) >= _SEEN_LIMIT:
            self._seen.clear()
        self._seen[seen_key] = zone

    def zones(self, user_ids: list[str]) -> dict[str, str]:
        """user_id → zone for those whose token named one."""
        if not user_ids:
            return {}
        rows = find_in(UserZone._get_collection(), "_id", user_ids,
                       projection={"timezone": 1})
        return {row["_id"]: row["timezone"] for row in rows}
