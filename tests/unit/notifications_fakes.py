"""In-memory fakes of the notifications ports, for use-case tests without servers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from meridian_notifications.application.errors import StaleVersion
from meridian_notifications.domain.notification import DUE_STATES, PERMANENTLY_FAILED
from meridian_notifications.domain.preferences import NotificationPreferences, defaults_for
from meridian_notifications.domain.reminder import SCHEDULED


@dataclass
class FakeClock:
    at: datetime = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@dataclass
class FakePreferences:
    identities: dict = field(default_factory=dict)
    versions: dict[str, list[NotificationPreferences]] = field(default_factory=dict)
    # Versions a concurrent writer stores just before our next save (to test retries).
    interleaved: list[NotificationPreferences] = field(default_factory=list)

    def get(self, user_id):
        identity = self.identities.get(user_id)
        stored = self.versions.get(user_id)
        if identity is None and not stored:
            return None
        base = stored[-1] if stored else defaults_for(
            user_id, locale=identity.locale, timezone=identity.timezone)
        if identity is not None:
            base = replace(base, email=identity.email, name=identity.name)
        return base

    def many(self, user_ids):
        return {u: p for u in user_ids if (p := self.get(u)) is not None}

    def record_identity(self, identity):
        self.identities[identity.user_id] = identity

    def save(self, prefs):
        history = self.versions.setdefault(prefs.user_id, [])
        if self.interleaved:
            other = self.interleaved.pop(0)
            history.append(replace(other, version=len(history) + 1))
        if len(history) != prefs.version:
            raise StaleVersion(prefs.user_id)
        stored = replace(prefs, version=prefs.version + 1)
        history.append(stored)
        return stored


@dataclass
class FakeNotifications:
    rows: dict = field(default_factory=dict)

    def insert_if_absent(self, notification):
        if notification.key in self.rows:
            return False
        self.rows[notification.key] = notification
        return True

    def get(self, key):
        return self.rows.get(key)

    def claim_due(self, now, limit):
        due = [n for n in self.rows.values() if n.channel == "email"
               and n.state in DUE_STATES and n.next_attempt_at <= now]
        return sorted(due, key=lambda n: n.next_attempt_at)[:limit]

    def mark_sent(self, notification):
        self.rows[notification.key] = notification

    mark_failed = mark_sent

    def _portal(self, recipient):
        mine = [n for n in self.rows.values() if n.recipient == recipient
                and n.channel == "portal"]
        return sorted(mine, key=lambda n: (n.created_at, n.key), reverse=True)

    def inbox(self, recipient, unread_only, skip, limit):
        found = [n for n in self._portal(recipient) if n.unread or not unread_only]
        return found[skip:skip + limit], len(found)

    def unread_count(self, recipient):
        return sum(1 for n in self._portal(recipient) if n.unread)

    def mark_read(self, key, recipient, at):
        found = self.rows.get(key)
        if found is None or found.recipient != recipient or found.channel != "portal":
            return None
        self.rows[key] = found.marked_read(at)
        return self.rows[key]

    def failures(self, skip, limit):
        failed = sorted((n for n in self.rows.values() if n.state == PERMANENTLY_FAILED),
                        key=lambda n: n.created_at, reverse=True)
        return failed[skip:skip + limit], len(failed)

    def due_count(self, now):
        return len(self.claim_due(now, 10**9))


@dataclass
class FakeReminders:
    rows: dict = field(default_factory=dict)

    def add(self, reminders):
        new = [r for r in reminders if r.key not in self.rows]
        self.rows.update({r.key: r for r in new})
        return len(new)

    def due(self, now, limit):
        due = [r for r in self.rows.values() if r.state == SCHEDULED and r.due_at <= now]
        return sorted(due, key=lambda r: r.due_at)[:limit]

    def of_session(self, session_id):
        return [r for r in self.rows.values() if r.session_id == session_id
                and r.state == SCHEDULED]

    def mark(self, reminder):
        self.rows[reminder.key] = reminder
