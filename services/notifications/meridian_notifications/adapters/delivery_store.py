"""Batched writes for the delivery pipeline, on the same collections as the base adapters.

Fan-out stores thousands of notifications at once: inserts go in one `insert_many`
(unordered, existing keys skipped), claims in one `insert_many` of claim ids (a claim someone
else holds falls back to the base adapter's takeover rules), outcomes in one `bulk_write`.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, UpdateOne
from pymongo.errors import BulkWriteError

from meridian_common.events.envelope import utcnow

from ..domain.notification import DUE_STATES, PENDING, SENT, Notification
from ..domain.reminder import DROPPED, SCHEDULED
from .notifications import MongoNotifications, from_row, to_row
from .reminders import MongoReminders

DUPLICATE_KEY = 11000


def insert_skipping_duplicates(collection, rows: list[dict]) -> int:
    """Insert `rows` unordered; rows whose `_id` (or unique key) exists are skipped."""
    if not rows:
        return 0
    try:
        return len(collection.insert_many(rows, ordered=False).inserted_ids)
    except BulkWriteError as exc:
        if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise
        return exc.details.get("nInserted", 0)


def _claim_id(notification: Notification) -> str:
    return f"{notification.key}#{notification.attempts}#0"


class BatchedNotifications(MongoNotifications):
    """`MongoNotifications` plus the `Outbox` port's batch operations."""

    def insert_many_if_absent(self, notifications: list[Notification]) -> int:
        """Store the notifications whose keys are new; returns how many were stored."""
        return insert_skipping_duplicates(self._rows(), [to_row(n) for n in notifications])

    def claim_batch(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` due e-mails, claimed with one bulk insert of their claim ids."""
        rows = self._rows().find({"channel": "email", "state": {"$in": list(DUE_STATES)},
                                  "next_attempt_at": {"$lte": now},
                                  "data.digest": {"$ne": True}}
                                 ).sort("next_attempt_at", ASCENDING).limit(limit)
        due = [from_row(row) for row in rows]
        if not due:
            return []
        claims = [{"_id": _claim_id(n), "notification": n.key, "owner": self.owner,
                   "claimed_at": now} for n in due]
        try:
            self._claims().insert_many(claims, ordered=False)
            return due
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise
            taken = {e["op"]["_id"] for e in exc.details["writeErrors"]}
        return [n for n in due if _claim_id(n) not in taken or self._claim(n, now)]

    def digest_items(self, now: datetime, limit: int) -> list[Notification]:
        """E-mails held for a digest whose slot is due (the digest job is their one writer)."""
        rows = self._rows().find({"channel": "email", "state": PENDING, "data.digest": True,
                                  "next_attempt_at": {"$lte": now}}).limit(limit)
        return [from_row(row) for row in rows]

    def release(self, notifications: list[Notification]) -> None:
        """Delete this owner's claims of `notifications` (no attempt was made)."""
        if notifications:
            self._claims().delete_many({"notification": {"$in": [n.key for n in notifications]},
                                        "owner": self.owner})

    def mark_many(self, notifications: list[Notification]) -> None:
        """Store every notification's state after its attempt, in as few writes as possible.

        Deliveries of one round share their new state (sent, at one time, after n attempts),
        so each such group is one `update_many`; failures, rarer and each with its own error,
        are one `bulk_write`.
        """
        groups: dict[tuple, list[str]] = {}
        failures = []
        for n in notifications:
            if n.state == SENT:
                groups.setdefault((n.sent_at, n.attempts, n.last_error), []).append(n.key)
            else:
                failures.append(n)
        now = utcnow()
        for (sent_at, attempts, note), keys in groups.items():
            self._rows().update_many({"_id": {"$in": keys}}, {"$set": {
                "state": SENT, "sent_at": sent_at, "attempts": attempts,
                "next_attempt_at": None, "last_error": note, "updated_at": now}})
        if failures:
            self._rows().bulk_write([UpdateOne({"_id": n.key}, {"$set": {
                "state": n.state, "attempts": n.attempts, "next_attempt_at": n.next_attempt_at,
                "last_error": n.last_error, "updated_at": now}}) for n in failures],
                ordered=False)


class BatchedReminders(MongoReminders):
    """`MongoReminders` plus dropping a session's or a recipient's jobs at once."""

    def drop_session(self, session_id: str, at: datetime,
                     keep_start: datetime | None = None) -> int:
        """Drop the session's scheduled jobs, except those planned for `keep_start`."""
        query: dict = {"session_id": session_id, "state": SCHEDULED}
        if keep_start is not None:
            query["session_start"] = {"$ne": keep_start}
        return self._rows().update_many(query, {"$set": {"state": DROPPED, "done_at": at}}
                                        ).modified_count

    def drop_recipient(self, offering_id: str, recipient: str, at: datetime) -> int:
        """Drop a recipient's scheduled jobs for the offering (they left it)."""
        return self._rows().update_many(
            {"offering_id": offering_id, "recipient": recipient, "state": SCHEDULED},
            {"$set": {"state": DROPPED, "done_at": at}}).modified_count
