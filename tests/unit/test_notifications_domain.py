"""Notification keys and delivery states, reminder planning, and the inbox use cases."""

from datetime import UTC, datetime, timedelta

import pytest

from meridian_notifications.application.errors import NotFound
from meridian_notifications.application.inbox import Inbox
from meridian_notifications.domain.notification import (
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    PERMANENTLY_FAILED,
    SENT,
    new_notification,
    notification_key,
    retry_delay,
)
from meridian_notifications.domain.reminder import plan_reminders, reminder_key
from tests.unit.notifications_fakes import FakeClock, FakeNotifications

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _notice(event="ev1", recipient="u1", channel="portal", at=NOW, **extra):
    return new_notification(event_id=event, recipient=recipient, channel=channel,
                            kind="session.rescheduled", subject="Moved", body_text="New time",
                            now=at, **extra)


def test_the_key_depends_on_event_recipient_and_channel_only():
    key = notification_key("ev1", "u1", "email")
    assert key == notification_key("ev1", "u1", "email")
    assert len({key, notification_key("ev2", "u1", "email"),
                notification_key("ev1", "u2", "email"),
                notification_key("ev1", "u1", "portal")}) == 4
    with pytest.raises(ValueError):
        notification_key("ev1", "u1", "sms")


def test_email_waits_for_the_sender_and_portal_notices_are_delivered_at_once():
    email = _notice(channel="email", to_address="a@example.org")
    portal = _notice()
    assert (email.state, email.next_attempt_at) == (PENDING, NOW)
    assert (portal.state, portal.sent_at, portal.unread) == (SENT, NOW, True)


def test_failures_back_off_then_give_up():
    email = _notice(channel="email")
    once = email.failed("421 try later", NOW)
    assert (once.state, once.attempts, once.next_attempt_at) == (FAILED, 1, NOW + retry_delay(1))
    assert retry_delay(2) == 2 * retry_delay(1)
    assert retry_delay(50) == timedelta(minutes=30)
    exhausted = email
    for _ in range(MAX_ATTEMPTS):
        exhausted = exhausted.failed("421", NOW)
    assert exhausted.state == PERMANENTLY_FAILED and exhausted.next_attempt_at is None


def test_a_5xx_is_permanent_at_once_and_a_success_clears_the_error():
    email = _notice(channel="email")
    assert email.failed("550 no such user", NOW, permanent=True).state == PERMANENTLY_FAILED
    sent = email.failed("421", NOW).delivered(NOW + timedelta(seconds=5))
    assert (sent.state, sent.attempts, sent.last_error, sent.next_attempt_at) == (
        SENT, 2, None, None)


def test_reminders_are_planned_only_while_ahead():
    start = NOW + timedelta(hours=3)
    planned = plan_reminders(session_id="s1", offering_id="o1", recipient="u1",
                             session_start=start, offsets=[60, 1440, 0], now=NOW)
    assert [(r.offset_minutes, r.due_at) for r in planned] == [
        (60, start - timedelta(hours=1)), (0, start)]
    assert plan_reminders(session_id="s1", offering_id="o1", recipient="u1",
                          session_start=NOW - timedelta(minutes=1), offsets=[0], now=NOW) == []


def test_a_moved_session_gets_new_reminder_keys():
    start = NOW + timedelta(days=2)
    assert reminder_key("s1", "u1", 60, start) == reminder_key("s1", "u1", 60, start)
    assert reminder_key("s1", "u1", 60, start) != reminder_key("s1", "u1", 60,
                                                                start + timedelta(hours=1))


def _inbox():
    store = FakeNotifications()
    return Inbox(store, FakeClock(NOW + timedelta(hours=1))), store


def test_the_inbox_is_newest_first_with_an_unread_count():
    inbox, store = _inbox()
    for minutes in range(3):
        store.insert_if_absent(_notice(event=f"ev{minutes}", at=NOW + timedelta(minutes=minutes)))
    store.insert_if_absent(_notice(event="ev0", channel="email"))
    store.insert_if_absent(_notice(event="other", recipient="u2"))
    items, total, unread = inbox.page("u1", False, 1, 2)
    assert [n.event_id for n in items] == ["ev2", "ev1"] and (total, unread) == (3, 3)
    inbox.mark_read("u1", items[0].key)
    items, total, unread = inbox.page("u1", True, 1, 20)
    assert [n.event_id for n in items] == ["ev1", "ev0"] and (total, unread) == (2, 2)


def test_marking_read_keeps_the_first_time_and_refuses_other_recipients():
    inbox, store = _inbox()
    notice = _notice()
    store.insert_if_absent(notice)
    first = inbox.mark_read("u1", notice.key)
    inbox.clock.at += timedelta(hours=1)
    assert inbox.mark_read("u1", notice.key).read_at == first.read_at == NOW + timedelta(hours=1)
    with pytest.raises(NotFound):
        inbox.mark_read("u2", notice.key)
    with pytest.raises(NotFound):
        inbox.mark_read("u1", "ntf_unknown")


def test_a_duplicate_event_stores_one_notification():
    _, store = _inbox()
    assert store.insert_if_absent(_notice()) is True
    assert store.insert_if_absent(_notice(at=NOW + timedelta(minutes=5))) is False
    assert len(store.rows) == 1


def test_admins_see_permanent_failures_newest_first():
    inbox, store = _inbox()
    for n, at in enumerate([NOW, NOW + timedelta(minutes=1)]):
        email = _notice(event=f"e{n}", channel="email", at=at)
        store.insert_if_absent(email.failed("550 rejected", at, permanent=True))
    store.insert_if_absent(_notice(event="ok", channel="email"))
    items, total = inbox.failures(1, 20)
    assert [n.event_id for n in items] == ["e1", "e0"] and total == 2
