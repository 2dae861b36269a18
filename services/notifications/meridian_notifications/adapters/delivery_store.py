"""Batched writes for the delivery pipeline, on the same collections as the base adapters.

Fan-out stores thousands of notifications at once: inserts go in one `insert_many`
(unordered, existing keys skipped), claims in one `insert_many` of claim ids (a claim someone
else holds falls back to the base adapter's takeover rules), outcomes in one `bulk_write`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, PyMongoError

from meridian_common.events.envelope import utcnow
from meridian_common.persistence.server import in_chunks

from ..domain.notification import DUE_STATES, PENDING, Notification
from ..domain.reminder import SCHEDULED, ScheduledReminder
from .notifications import MongoNotifications, from_row, to_row
from .reminders import MongoReminders
from .reminders import _reminder as to_reminder

DUPLICATE_KEY = 11000
MARK_ATTEMPTS = 6
MARK_CHUNK = 100
# What an attempt changes; the rest of a notification was written once, when planned.
_OUTCOME = ("state", "attempts", "sent_at", "next_attempt_at", "last_error")


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

    def __init__(self, owner: str | None = None):
        super().__init__(owner)
        self._lock = threading.Lock()
        self._held: set[str] = set()  # claim ids inserted by this instance, not yet settled

    def insert_many_if_absent(self, notifications: list[Notification]) -> int:
        """Store the notifications whose keys are new; returns how many were stored."""
        return insert_skipping_duplicates(self._rows(), [to_row(n) for n in notifications])

    def claim_batch(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` due e-mails, claimed with one bulk insert of their claim ids.

        In no particular order: FerretDB answers a sort by decoding every pending mail
        first (a fan-out being stored is thousands), without one it stops at `limit`.
        """
        rows = self._rows().find({"channel": "email", "state": {"$in": list(DUE_STATES)},
                                  "next_attempt_at": {"$lte": now},
                                  "data.digest": {"$ne": True}}).limit(limit)
        return self.claim([from_row(row) for row in rows], now)

    def claim(self, due: list[Notification], now: datetime) -> list[Notification]:
        """Those of `due` this caller now holds the claim of (one bulk insert)."""
        if not due:
            return []
        claims = [{"_id": _claim_id(n), "notification": n.key, "owner": self.owner,
                   "claimed_at": now} for n in due]
        try:
            self._claims().insert_many(claims, ordered=False)
            taken: set[str] = set()
        except BulkWriteError as exc:
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise
            taken = {e["op"]["_id"] for e in exc.details["writeErrors"]}
        with self._lock:
            # A claim this instance holds is in flight here (the scan and the planner's
            # hand-over can offer the same mail): skipped without asking the database.
            mine = taken & self._held
            self._held.update(c["_id"] for c in claims if c["_id"] not in taken)
        won = [n for n in due if _claim_id(n) not in taken
               or (_claim_id(n) not in mine and self._reclaim(n, now))]
        return won

    def _reclaim(self, notification: Notification, now: datetime) -> bool:
        """A claim of this owner that this instance does not hold was left by a round that
        failed after inserting it (a timeout): nothing here sends that mail, so take it
        back; anyone else's claim follows the base adapter's take-over rules."""
        claim_id = _claim_id(notification)
        held = self._claims().find_one({"_id": claim_id}, {"owner": 1})
        if held is not None and held["owner"] == self.owner:
            with self._lock:
                if claim_id in self._held:
                    return False
                self._held.add(claim_id)
            return True
        return self._claim(notification, now)

    def _let_go(self, notifications: list[Notification]) -> None:
        with self._lock:  # released claims are deleted: the mail may be claimed again
            self._held.difference_update(_claim_id(n) for n in notifications)

    def digest_items(self, now: datetime, limit: int) -> list[Notification]:
        """E-mails held for a digest whose slot is due (the digest job is their one writer)."""
        rows = self._rows().find({"channel": "email", "state": PENDING, "data.digest": True,
                                  "next_attempt_at": {"$lte": now}}).limit(limit)
        return [from_row(row) for row in rows]

    def release(self, notifications: list[Notification]) -> None:
        """Delete this owner's claims of `notifications` (no attempt was made)."""
        if notifications:
            self._let_go(notifications)
            for keys in in_chunks(sorted({n.key for n in notifications})):
                self._claims().delete_many({"notification": {"$in": keys}, "owner": self.owner})

    def mark_many(self, notifications: list[Notification]) -> None:
        """Store every notification's state after its attempt: one update by `_id` each,
        sent as one bulk write per MARK_CHUNK.

        By `_id` because that is an index lookup on FerretDB too, where an `update_many`
        over `$in` keys decodes the whole collection; in bulk, to spare a round trip per
        mail; retried, because a mail the server accepted but that is not marked would be
        sent again once its claim expires (`$set` of the same values is idempotent).
        """
        now = utcnow()
        updates = [UpdateOne({"_id": n.key}, {"$set": {
            **{name: getattr(n, name) for name in _OUTCOME}, "updated_at": now}})
            for n in notifications]
        for start in range(0, len(updates), MARK_CHUNK):
            piece = updates[start:start + MARK_CHUNK]
            self._with_retries(lambda piece=piece: self._rows().bulk_write(piece,
                                                                           ordered=False))
        with self._lock:  # their attempt is recorded: the next one has another claim id
            self._held.difference_update(f"{n.key}#{n.attempts - 1}#0" for n in notifications)

    @staticmethod
    def _with_retries(write) -> None:
        pause = 0.2
        for attempt in range(MARK_ATTEMPTS):
            try:
                write()
                return
            except PyMongoError:
                if attempt == MARK_ATTEMPTS - 1:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 5.0)


class BatchedReminders(MongoReminders):
    """`MongoReminders` plus forgetting a session's or a recipient's jobs at once."""

    def due(self, now: datetime, limit: int) -> list[ScheduledReminder]:
        """Scheduled jobs due by `now`, in no particular order: every due job fires within
        the round anyway, and FerretDB answers a sort by decoding every scheduled job first
        (the scheduler asks each second)."""
        rows = self._rows().find({"state": SCHEDULED, "due_at": {"$lte": now}}).limit(limit)
        return [to_reminder(row) for row in rows]

    def scheduled_for(self, recipient: str) -> list[ScheduledReminder]:
        """The recipient's scheduled jobs, of every session."""
        return [to_reminder(row) for row in
                self._rows().find({"recipient": recipient, "state": SCHEDULED})]

    def forget(self, keys: list[str]) -> int:
        """Delete these scheduled jobs, one `_id` lookup each (a user has a few)."""
        return sum(self._rows().delete_one({"_id": key, "state": SCHEDULED}).deleted_count
                   for key in keys)

    def drop_session(self, session_id: str, at: datetime,
                     keep_start: datetime | None = None) -> int:
        """Forget the session's scheduled jobs, except those planned for `keep_start`.

        Deleted rather than marked: FerretDB rewrites every updated document (about 5 ms
        each), so marking a 2,000-student session's 4,000 jobs took 20 s of the database
        before its cancellation was told; a delete is some twenty times cheaper. Forgotten
        keys can be planned again, so a session moved back to its old time gets reminders.
        """
        query: dict = {"session_id": session_id, "state": SCHEDULED}
        if keep_start is not None:
            query["session_start"] = {"$ne": keep_start}
        return self._rows().delete_many(query).deleted_count

    def drop_recipient(self, offering_id: str, recipient: str, at: datetime) -> int:
        """Forget a recipient's scheduled jobs for the offering (they left it)."""
        return self._rows().delete_many(
            {"offering_id": offering_id, "recipient": recipient, "state": SCHEDULED}
        ).deleted_count
