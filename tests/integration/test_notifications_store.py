"""The notifications' Mongo adapters on the stack's FerretDB: one notification per key, each
mail attempt claimed by exactly one sender, preference versions that cannot both win."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.persistence import db
from meridian_notifications.adapters import notifications as store_module
from meridian_notifications.adapters.documents import ALL_DOCUMENTS, NotificationClaim
from meridian_notifications.adapters.notifications import MongoNotifications
from meridian_notifications.adapters.preferences import MongoPreferences
from meridian_notifications.adapters.reminders import MongoReminders
from meridian_notifications.application.errors import StaleVersion
from meridian_notifications.application.ports import Identity
from meridian_notifications.domain.notification import new_notification
from meridian_notifications.domain.preferences import defaults_for
from meridian_notifications.domain.reminder import plan_reminders

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def database(isolated_db_name):
    """mongoengine connected to a fresh database with the service's indexes."""
    connected = db.connect(load_settings("notifications", {"mongo_db": isolated_db_name}))
    db.ensure_indexes(*ALL_DOCUMENTS)
    yield connected
    mongoengine.disconnect(alias=db.ALIAS)


def _mail(n: int, recipient: str = "u1", at: datetime = NOW):
    return new_notification(event_id=f"ev-{n}", recipient=recipient, channel="email",
                            kind="session.cancelled", subject="Cancelled", body_text="x",
                            now=at, to_address=f"{recipient}@example.org")


def test_a_key_is_stored_once_whatever_the_race(database):
    store = MongoNotifications()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _i: store.insert_if_absent(_mail(1)), range(24)))
    assert results.count(True) == 1
    assert database.notifications.count_documents({}) == 1


def test_every_due_mail_is_claimed_by_exactly_one_sender(database):
    writer = MongoNotifications()
    for n in range(60):
        writer.insert_if_absent(_mail(n, at=NOW - timedelta(seconds=n)))
    senders = [MongoNotifications(owner=f"sender-{i}") for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        batches = list(pool.map(lambda s: s.claim_due(NOW, 20), senders))
    claimed = [n.key for batch in batches for n in batch]
    assert len(claimed) == len(set(claimed))
    # Mails in flight are leased: a second round, before any was sent, claims what the first
    # left, and nothing twice.
    with ThreadPoolExecutor(max_workers=6) as pool:
        batches = list(pool.map(lambda s: s.claim_due(NOW, 20), senders))
    claimed += [n.key for batch in batches for n in batch]
    assert len(claimed) == len(set(claimed)) == 60


def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_not(database):
    writer = MongoNotifications()
    writer.insert_if_absent(_mail(1))
    first = MongoNotifications(owner="first")
    assert [n.key for n in first.claim_due(NOW, 5)] == [_mail(1).key]
    assert MongoNotifications(owner="second").claim_due(NOW, 5) == []
    # The first sender died mid-send: once its lease ran out, another sender takes over.
    later = NOW + timedelta(seconds=store_module.CLAIM_SECONDS + 1)
    assert MongoNotifications(owner="second").claim_due(later - timedelta(seconds=2), 5) == []
    taken = MongoNotifications(owner="second").claim_due(later, 5)
    assert [n.key for n in taken] == [_mail(1).key]
    assert NotificationClaim.objects(notification=_mail(1).key).count() == 2


def test_a_failed_attempt_is_retried_after_its_delay_then_sent(database):
    sender = MongoNotifications(owner="s")
    sender.insert_if_absent(_mail(1))
    (mail,) = sender.claim_due(NOW, 5)
    failed = mail.failed("421 busy", NOW)
    sender.mark_failed(failed)
    assert sender.claim_due(NOW, 5) == []
    assert sender.due_count(NOW) == 0 and sender.due_count(failed.next_attempt_at) == 1
    (again,) = sender.claim_due(failed.next_attempt_at, 5)
    assert again.attempts == 1 and again.last_error == "421 busy"
    sender.mark_sent(again.delivered(failed.next_attempt_at))
    stored = sender.get(mail.key)
    assert (stored.state, stored.attempts, stored.last_error) == ("sent", 2, None)
    assert sender.claim_due(NOW + timedelta(days=1), 5) == []


def test_the_inbox_reads_portal_notices_and_only_the_recipient_marks_them(database):
    store = MongoNotifications()
    notices = [new_notification(event_id=f"p{n}", recipient="u1", channel="portal",
                                kind="enrollment.confirmed", subject="In", body_text="x",
                                now=NOW + timedelta(minutes=n)) for n in range(3)]
    for notice in notices:
        store.insert_if_absent(notice)
    store.insert_if_absent(_mail(9))
    assert store.mark_read(notices[0].key, "u2", NOW) is None
    assert store.mark_read(notices[0].key, "u1", NOW).read_at == NOW
    assert store.mark_read(notices[0].key, "u1", NOW + timedelta(hours=1)).read_at == NOW
    items, total = store.inbox("u1", True, 0, 10)
    assert [n.key for n in items] == [notices[2].key, notices[1].key] and total == 2
    assert store.unread_count("u1") == 2


def test_only_one_of_two_concurrent_preference_changes_becomes_the_next_version(database):
    repo = MongoPreferences()
    base = defaults_for("u1", locale=None, timezone=None)

    def save(n):
        try:
            return repo.save(replace(base, reminders_minutes=(n,)))
        except StaleVersion:
            return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        saved = [p for p in pool.map(save, range(1, 25)) if p is not None]
    assert len(saved) == 1
    assert repo.get("u1").reminders_minutes == saved[0].reminders_minutes
    assert repo.get("u1").version == 1


def test_identity_and_choices_combine(database):
    repo = MongoPreferences()
    assert repo.get("u1") is None
    repo.record_identity(Identity(user_id="u1", email="a@example.org", name="A",
                                  locale="zh-CN", timezone="Asia/Shanghai"))
    prefs = repo.get("u1")
    assert (prefs.email, prefs.locale, prefs.timezone, prefs.version) == (
        "a@example.org", "zh-Hans", "Asia/Shanghai", 0)
    repo.save(replace(prefs, digest="daily"))
    repo.record_identity(Identity(user_id="u1", email="b@example.org"))
    assert (repo.get("u1").email, repo.get("u1").digest) == ("b@example.org", "daily")
    assert set(repo.many(["u1", "nobody"])) == {"u1"}


def test_reminders_are_stored_once_and_found_by_due_time(database):
    repo = MongoReminders()
    start = NOW + timedelta(hours=30)
    planned = plan_reminders(session_id="s1", offering_id="o1", recipient="u1",
                             session_start=start, offsets=[1440, 60], now=NOW)
    assert repo.add(planned) == 2
    assert repo.add(planned) == 0
    assert repo.due(NOW, 10) == []
    (due,) = repo.due(start - timedelta(hours=24), 10)
    assert due.offset_minutes == 1440 and due.due_at == start - timedelta(hours=24)
    repo.mark(due.fired(NOW))
    assert [r.offset_minutes for r in repo.of_session("s1")] == [60]
