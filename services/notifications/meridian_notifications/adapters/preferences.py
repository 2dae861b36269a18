"""The `PreferencesRepo` port: identities by user, preference versions insert-only."""

from __future__ import annotations

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.server import find_in

from ..application.errors import StaleVersion
from ..application.ports import Identity
from ..domain.preferences import Channels, NotificationPreferences, defaults_for
from .documents import PreferenceVersion, StoredIdentity

_IDENTITY_FIELDS = ("email", "name", "locale", "timezone")


def _prefs(user_id: str, identity: dict | None, version: dict | None) -> NotificationPreferences:
    identity = identity or {}
    base = defaults_for(user_id, locale=identity.get("locale"), timezone=identity.get("timezone"))
    known = {"email": identity.get("email"), "name": identity.get("name")}
    if version is None:
        return NotificationPreferences(**{**base.__dict__, **known})
    return NotificationPreferences(
        user_id=user_id, **known, locale=version["locale"], timezone=version["timezone"],
        channels=Channels(email=version["email_channel"], portal=version["portal_channel"]),
        reminders_minutes=tuple(version.get("reminders_minutes") or ()),
        digest=version["digest"], version=version["version"],
        updated_at=as_utc(version["created_at"]))


class MongoPreferences:
    """Preferences on `identities` (the token's facts) and `preference_versions` (choices)."""

    def __init__(self):
        self._identities = StoredIdentity._get_collection
        self._versions = PreferenceVersion._get_collection

    def _latest(self, user_ids: list[str]) -> dict[str, dict]:
        latest: dict[str, dict] = {}
        for row in find_in(self._versions(), "user_id", user_ids):
            if row["version"] > latest.get(row["user_id"], {"version": -1})["version"]:
                latest[row["user_id"]] = row
        return latest

    def get(self, user_id: str) -> NotificationPreferences | None:
        """The user's preferences, or None when neither a token nor a choice was recorded."""
        identity = self._identities().find_one({"_id": user_id})
        version = self._versions().find_one({"user_id": user_id},
                                            sort=[("version", DESCENDING)])
        if identity is None and version is None:
            return None
        return _prefs(user_id, identity, version)

    def many(self, user_ids: list[str]) -> dict[str, NotificationPreferences]:
        """Preferences of those of `user_ids` that have any."""
        if not user_ids:
            return {}
        identities = {row["_id"]: row for row in
                      find_in(self._identities(), "_id", user_ids)}
        versions = self._latest(user_ids)
        return {uid: _prefs(uid, identities.get(uid), versions.get(uid))
                for uid in user_ids if uid in identities or uid in versions}

    def record_identity(self, identity: Identity) -> None:
        """Store what the token said, writing only when something changed.

        A claim the token lacks keeps what an earlier token said: access tokens and some
        sign-ins carry no `email`, and that must not erase the address mail goes to.
        """
        facts = {name: value for name in _IDENTITY_FIELDS
                 if (value := getattr(identity, name)) is not None}
        stored = self._identities().find_one({"_id": identity.user_id})
        if stored is not None and all(stored.get(k) == v for k, v in facts.items()):
            return
        # Same-user requests carry the same token facts, so a concurrent write of one
        # identity sets the same values: last writer wins harmlessly.
        try:
            self._identities().update_one({"_id": identity.user_id},
                                          {"$set": {**facts, "seen_at": utcnow()}}, upsert=True)
        except DuplicateKeyError:
            return  # a concurrent first request of the same user stored the same facts

    def save(self, prefs: NotificationPreferences) -> NotificationPreferences:
        """Insert version `prefs.version + 1`; StaleVersion when someone stored it first."""
        version = prefs.version + 1
        row = {"_id": f"{prefs.user_id}:{version}", "user_id": prefs.user_id,
               "version": version, "locale": prefs.locale, "timezone": prefs.timezone,
               "email_channel": prefs.channels.email, "portal_channel": prefs.channels.portal,
               "reminders_minutes": list(prefs.reminders_minutes), "digest": prefs.digest,
               "created_at": utcnow()}
        try:
            self._versions().insert_one(row)
        except DuplicateKeyError as exc:
            raise StaleVersion(prefs.user_id) from exc
        return NotificationPreferences(**{**prefs.__dict__, "version": version,
                                          "updated_at": row["created_at"]})
