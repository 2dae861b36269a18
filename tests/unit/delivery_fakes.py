"""In-memory fakes of the notification delivery ports, for use-case tests without servers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from meridian_notifications.adapters.rendering import TemplateRenderer
from meridian_notifications.application.delivery_ports import (
    DEFERRED,
    REJECTED,
    SENT_OK,
    UNAVAILABLE,
    Delivery,
    Outcome,
)
from meridian_notifications.application.ports import ReplanRequest
from meridian_notifications.domain.notification import DUE_STATES
from meridian_notifications.domain.preferences import Channels, NotificationPreferences
from meridian_notifications.domain.reminder import SCHEDULED
from tests.unit.delivery_fake_directory import FakeDirectory


@dataclass
class FakeClock:
    at: datetime = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@dataclass
class FakePreferences:
    rows: dict = field(default_factory=dict)

    def person(self, user_id, email=None, locale="en", timezone="UTC", **choices):
        self.rows[user_id] = NotificationPreferences(
            user_id=user_id, email=email, name=user_id.title(), locale=locale,
            timezone=timezone, **choices)

    def many(self, user_ids):
        return {u: self.rows[u] for u in user_ids if u in self.rows}

    def get(self, user_id):
        return self.rows.get(user_id)


@dataclass
class FakeOutbox:
    rows: dict = field(default_factory=dict)
    claimed: set = field(default_factory=set)

    def insert_many_if_absent(self, notifications):
        new = [n for n in notifications if n.key not in self.rows]
        self.rows.update((n.key, n) for n in new)
        return len(new)

    def claim_batch(self, now, limit):
        due = sorted((n for n in self.rows.values() if n.channel == "email"
                      and n.state in DUE_STATES and n.next_attempt_at <= now
                      and not n.data.get("digest") and n.key not in self.claimed),
                     key=lambda n: n.next_attempt_at)
        self.claimed.update(n.key for n in due[:limit])
        return due[:limit]

    def digest_items(self, now, limit):
        return [n for n in self.rows.values() if n.channel == "email" and n.state == "pending"
                and n.data.get("digest") and n.next_attempt_at <= now][:limit]

    def claim(self, due, now):
        mine = [n for n in due if n.key not in self.claimed
                and self.rows[n.key].state in DUE_STATES]
        self.claimed.update(n.key for n in mine)
        return mine

    def release(self, notifications):
        self.claimed.difference_update(n.key for n in notifications)

    def mark_many(self, notifications):
        for n in notifications:
            self.rows[n.key] = n
            self.claimed.discard(n.key)

    def of(self, **match):
        return [n for n in self.rows.values()
                if all(getattr(n, k) == v for k, v in match.items())]


@dataclass
class FakeReminders:
    rows: dict = field(default_factory=dict)

    def add(self, reminders):
        new = [r for r in reminders if r.key not in self.rows]
        self.rows.update((r.key, r) for r in new)
        return len(new)

    def due(self, now, limit):
        return sorted((r for r in self.rows.values() if r.state == SCHEDULED
                       and r.due_at <= now), key=lambda r: r.due_at)[:limit]

    def mark(self, reminder):
        self.rows[reminder.key] = reminder

    def drop_session(self, session_id, at, keep_start=None):
        hit = [r for r in self.rows.values() if r.session_id == session_id
               and r.state == SCHEDULED and r.session_start != keep_start]
        for r in hit:
            del self.rows[r.key]  # forgotten, as the Mongo adapter deletes them
        return len(hit)

    def drop_recipient(self, offering_id, recipient, at):
        hit = [r for r in self.rows.values() if r.offering_id == offering_id
               and r.recipient == recipient and r.state == SCHEDULED]
        for r in hit:
            del self.rows[r.key]
        return len(hit)

    def scheduled_for(self, recipient):
        return [r for r in self.rows.values() if r.recipient == recipient
                and r.state == SCHEDULED]

    def forget(self, keys):
        hit = [k for k in keys if k in self.rows and self.rows[k].state == SCHEDULED]
        for key in hit:
            del self.rows[key]
        return len(hit)

    def scheduled(self):
        return [r for r in self.rows.values() if r.state == SCHEDULED]


@dataclass
class FakeReplans:
    rows: dict = field(default_factory=dict)

    def request(self, user_id, version, at):
        key = f"{user_id}:{version}"
        self.rows.setdefault(key, ReplanRequest(key, user_id, version, at))

    def pending(self, limit):
        return sorted(self.rows.values(), key=lambda r: r.requested_at)[:limit]

    def done(self, request):
        self.rows.pop(request.key, None)


@dataclass
class FakeMailer:
    """Answers from `script` (one status per message, then SENT_OK), keeping what it sent."""

    script: list = field(default_factory=list)
    sent: list = field(default_factory=list)
    connections: int = 0

    def send_many(self, messages):
        self.connections += 1
        outcomes = []
        for message in messages:
            status = self.script.pop(0) if self.script else SENT_OK
            if status == SENT_OK:
                self.sent.append(message)
            errors = {REJECTED: "550 no such user", DEFERRED: "451 try later",
                      UNAVAILABLE: "connect: refused"}
            outcomes.append(Outcome(status, errors.get(status)))
        return outcomes


def delivery(clock=None, mailers=1, renderer=None) -> Delivery:
    """A Delivery on fakes; `ctx.mailers[0].sent` holds what went out."""
    return Delivery(directory=FakeDirectory(), preferences=FakePreferences(),
                    outbox=FakeOutbox(), reminders=FakeReminders(),
                    renderer=renderer or TemplateRenderer(),
                    mailers=[FakeMailer() for _ in range(mailers)], clock=clock or FakeClock(),
                    public_url="https://meridian.example",
                    mail_from="Meridian <no-reply@m.example>",
                    unsubscribe_secret="s" * 32, replans=FakeReplans())


def portal_only() -> Channels:
    return Channels(email=False, portal=True)
