"""Remembering the zone a user's token names, so fair hours use where people really are."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from meridian_common.auth import Principal
from meridian_common.events.envelope import utcnow
from meridian_common.validation import is_iana_zone

from .models import UserZone

_SEEN_LIMIT = 50_000
# Per process: user → zone already stored, so a steady user costs no write per request.
_seen: dict[str, str] = {}


def remember(principal: Principal) -> None:
    """Store the caller's token zone when it is new or changed."""
    zone = principal.timezone
    if not zone or not is_iana_zone(zone) or _seen.get(principal.user_id) == zone:
        return
    collection = UserZone._get_collection()
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
    _seen[principal.user_id] = zone
