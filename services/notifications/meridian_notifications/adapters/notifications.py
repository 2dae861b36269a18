"""The `NotificationsRepo` port on `notifications`, with attempts claimed by unique inserts.

Claiming is an insert of `<key>#<attempt>#<n>` into `notification_claims`: atomic on
MongoDB and FerretDB alike, so two workers never send the same attempt. A claim older than
CLAIM_SECONDS (its worker died mid-send) is superseded by the next `n`. The claimer then
leases its mails (`next_attempt_at` pushed CLAIM_SECONDS ahead, its own write), so other
senders' due queries pass over mails in flight instead of stalling on them.
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.server import in_chunks

from ..domain.notification import DUE_STATES, PERMANENTLY_FAILED, Notification
from .documents import NotificationClaim, StoredNotification

CLAIM_SECONDS = 300
_MAX_TAKEOVERS = 20
_TIMES = ("created_at", "next_attempt_at", "sent_at", "read_at")
_FIELDS = tuple(f.name for f in fields(Notification) if f.name != "key")


def to_row(notification: Notification) -> dict:
    """The stored shape of a notification."""
    row = {name: getattr(notification, name) for name in _FIELDS}
    return {"_id": notification.key, **row, "updated_at": utcnow()}


def from_row(row: dict) -> Notification:
    """A notification from its stored shape."""
    values = {name: row.get(name) for name in _FIELDS if name in row}
    for name in _TIMES:
        if values.get(name) is not None:
            values[name] = as_utc(values[name])
    values["data"] = values.get("data") or {}
    return Notification(key=row["_id"], **values)


class MongoNotifications:
    """Notifications and their claims; see the module docstring for who writes what."""

    def __init__(self, owner: str | None = None):
        self._rows = StoredNotification._get_collection
        self._claims = NotificationClaim._get_collection
        self.owner = owner or uuid.uuid4().hex

    def insert_if_absent(self, notification: Notification) -> bool:
        """Store it unless a notification with its key (or event/recipient/channel) exists."""
        try:
            self._rows().insert_one(to_row(notification))
        except DuplicateKeyError:
            return False
        return True

    def get(self, key: str) -> Notification | None:
        """The notification with this key."""
        row = self._rows().find_one({"_id": key})
        return from_row(row) if row else None

    def _claim(self, notification: Notification, now: datetime) -> bool:
        for n in range(_MAX_TAKEOVERS):
            claim_id = f"{notification.key}#{notification.attempts}#{n}"
            try:
                self._claims().insert_one({"_id": claim_id, "notification": notification.key,
                                           "owner": self.owner, "claimed_at": now})
                return True
            except DuplicateKeyError:
                held = self._claims().find_one({"_id": claim_id})
            if held is None:
                continue
            if held["owner"] == self.owner:
                return False  # ours from an earlier round, still being sent
            if as_utc(held["claimed_at"]) > now - timedelta(seconds=CLAIM_SECONDS):
                return False
        return False

    def claim_due(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` e-mails due by `now`, oldest due first, claimed for this owner."""
        rows = self._rows().find({"channel": "email", "state": {"$in": list(DUE_STATES)},
                                  "next_attempt_at": {"$lte": now}}
                                 ).sort("next_attempt_at", ASCENDING).limit(limit * 2)
        claimed = []
        for row in rows:
            notification = from_row(row)
            if self._claim(notification, now):
                claimed.append(notification)
                if len(claimed) >= limit:
                    break
        if claimed:
            lease = now + timedelta(seconds=CLAIM_SECONDS)
            for keys in in_chunks([n.key for n in claimed]):
                self._rows().update_many({"_id": {"$in": keys}},
                                         {"$set": {"next_attempt_at": lease}})
        return claimed

    def _store_attempt(self, notification: Notification) -> None:
        row = to_row(notification)
        del row["_id"]
        self._rows().update_one({"_id": notification.key}, {"$set": row})

    def mark_sent(self, notification: Notification) -> None:
        """Store the state after a delivery."""
        self._store_attempt(notification)

    def mark_failed(self, notification: Notification) -> None:
        """Store the state after a failed attempt."""
        self._store_attempt(notification)

    def inbox(self, recipient: str, unread_only: bool, skip: int,
              limit: int) -> tuple[list[Notification], int]:
        """The recipient's portal notices, newest first."""
        query: dict = {"recipient": recipient, "channel": "portal"}
        if unread_only:
            query["read_at"] = None
        total = self._rows().count_documents(query)
        rows = self._rows().find(query).sort([("created_at", DESCENDING), ("_id", DESCENDING)]
                                             ).skip(skip).limit(limit)
        return [from_row(row) for row in rows], total

    def unread_count(self, recipient: str) -> int:
        """How many of the recipient's portal notices are unread."""
        return self._rows().count_documents({"recipient": recipient, "channel": "portal",
                                             "read_at": None})

    def mark_read(self, key: str, recipient: str, at: datetime) -> Notification | None:
        """Mark one of the recipient's portal notices read (the first time is kept)."""
        mine = {"_id": key, "recipient": recipient, "channel": "portal"}
        self._rows().update_one({**mine, "read_at": None}, {"$set": {"read_at": at}})
        row = self._rows().find_one(mine)
        return from_row(row) if row else None

    def failures(self, skip: int, limit: int) -> tuple[list[Notification], int]:
        """Permanently failed deliveries, newest first."""
        query = {"state": PERMANENTLY_FAILED}
        total = self._rows().count_documents(query)
        rows = self._rows().find(query).sort([("updated_at", DESCENDING), ("_id", DESCENDING)]
                                             ).skip(skip).limit(limit)
        return [from_row(row) for row in rows], total

    def due_count(self, now: datetime) -> int:
        """E-mails waiting to be sent by `now`."""
        return self._rows().count_documents({"channel": "email",
                                             "state": {"$in": list(DUE_STATES)},
                                             "next_attempt_at": {"$lte": now}})
