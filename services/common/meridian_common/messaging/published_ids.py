"""The relay's memory of what it published lately, so re-read events cost no database lookup."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..events.envelope import as_utc
from ..persistence.pending import is_published


class PublishedIds:
    """Ids of recently published events, backed by `outbox_published` for anything forgotten."""

    def __init__(self, db, keep: timedelta):
        self.db = db
        self.keep = keep
        self._ids: dict[str, datetime] = {}

    def add(self, event_id: str, stored_at: datetime) -> None:
        """Remember that `event_id` (stored at `stored_at`) is published."""
        self._ids[event_id] = stored_at

    def has(self, event: dict) -> bool:
        """True when the event is known published (asking the database when not remembered)."""
        if event["id"] in self._ids:
            return True
        # Another relay (or this one before a restart) may have published it.
        if is_published(self.db, event["id"]):
            self.add(event["id"], as_utc(event["stored_at"]))
            return True
        return False

    def forget_before(self, since: datetime) -> None:
        """Drop ids stored well before `since`: no round reads them again."""
        horizon = since - self.keep
        self._ids = {i: at for i, at in self._ids.items() if at >= horizon}
