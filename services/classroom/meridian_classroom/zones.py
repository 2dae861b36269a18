"""Remembering the zone a user's token names, so fair hours use where people really are."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import utcnow
from meridian_common.web.auth import Principal
from meridian_common.web.validation import is_iana_zone

from .models import UserZone

_SEEN_LIMIT = 50_000
# Per process: (database, user) → zone already stored, so a steady user costs no write per
# request; the database is part of the key so a process never trusts another database's state.
_seen: dict[tuple[str, str], str] = {}


def remember(principal: Principal) -> None:
    """Store the caller's token zone when it is new or changed."""
    zone = principal.timezone
    collection = UserZone._get_collection()
    seen_key = (collection.database.name, principal.user_id)
    if not zone or not is_iana_zone(zone) or _seen.get(seen_key) == zone:
        return
    stored = collection.find_one({"_id": principal.user_id}, {"timezone": 1})
    if stored is None:
        try:
            collection.insert_one({"_id": principal.user_id, "timezone": zone,
                                   "seen_at": utcnow()})
        except DuplicateKeyError:
            return  # a concurrent first request of the same user stored it
    elif stored["timezone"] != zone:
        collection.update_one({"_id": principal.user_id},
                              {"$set": {"timezone": zone, "seen_at": utcnow()}})
    if len(_seen) >= _SEEN_LIMIT:
        _seen.clear()
    _seen[seen_key] = zone
