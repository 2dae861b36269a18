"""The `RemindersRepo` port on `reminders` (index on state and due time)."""

from __future__ import annotations

from pymongo import ASCENDING
from pymongo.errors import BulkWriteError, DuplicateKeyError

from meridian_common.events.envelope import as_utc

from ..domain.reminder import SCHEDULED, ScheduledReminder
from .documents import StoredReminder

_TIMES = ("session_start", "due_at", "created_at", "done_at")
DUPLICATE_KEY = 11000


def _row(reminder: ScheduledReminder) -> dict:
    values = dict(reminder.__dict__)
    return {"_id": values.pop("key"), **values}


def _reminder(row: dict) -> ScheduledReminder:
    values = {k: v for k, v in row.items() if k != "_id"}
    for name in _TIMES:
        if values.get(name) is not None:
            values[name] = as_utc(values[name])
    return ScheduledReminder(key=row["_id"], **values)


class MongoReminders:
    """Durable reminder jobs; a key already stored is kept as it is."""

    def __init__(self):
        self._rows = StoredReminder._get_collection

    def add(self, reminders: list[ScheduledReminder]) -> int:
        """Insert the reminders whose keys are new; returns how many were stored."""
        if not reminders:
            return 0
        try:
            return len(self._rows().insert_many([_row(r) for r in reminders],
                                                ordered=False).inserted_ids)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != DUPLICATE_KEY for error in errors):
                raise
            return exc.details.get("nInserted", 0)
        except DuplicateKeyError:
            return 0

    def due(self, now, limit: int) -> list[ScheduledReminder]:
        """Scheduled reminders due by `now`, earliest first."""
        rows = self._rows().find({"state": SCHEDULED, "due_at": {"$lte": now}}
                                 ).sort("due_at", ASCENDING).limit(limit)
        return [_reminder(row) for row in rows]

    def of_session(self, session_id: str) -> list[ScheduledReminder]:
        """The scheduled reminders of one session."""
        rows = self._rows().find({"session_id": session_id, "state": SCHEDULED})
        return [_reminder(row) for row in rows]

    def mark(self, reminder: ScheduledReminder) -> None:
        """Store a reminder's new state."""
        self._rows().update_one({"_id": reminder.key},
                                {"$set": {"state": reminder.state, "done_at": reminder.done_at}})
