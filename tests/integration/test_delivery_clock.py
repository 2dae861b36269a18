"""The scheduler's use cases driven by a controllable clock in the test process, on the real
adapters (FerretDB, Mailpit's SMTP): reminders across the autumn DST change, re-planned
offsets, the daily digest. Mail is read back through Mailpit's API and parsed with `email`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from meridian_common.config import load_settings
from meridian_common.events import types
from meridian_common.persistence import db
from meridian_notifications.adapters.config import load_notifications_config
from meridian_notifications.adapters.delivery_wiring import mongo_delivery
from meridian_notifications.adapters.documents import ALL_DOCUMENTS
from meridian_notifications.adapters.preferences import MongoPreferences
from meridian_notifications.application import delivery_events as use
from meridian_notifications.application.delivery_digest import send_digests
from meridian_notifications.application.delivery_reminders import fire_due
from meridian_notifications.application.delivery_replans import apply_replans
from meridian_notifications.application.delivery_sender import send_round
from meridian_notifications.application.ports import Identity
from meridian_notifications.application.preferences import PreferencesService
from tests.e2e.mailbox import Mailbox, text_of
from tests.unit.delivery_fakes import FakeClock
from tests.unit.test_delivery_planning import enrollment_payload, offering_payload
from tests.unit.test_delivery_reminders import session

# Sunday 31 October 2027 is the first day of GMT in London: the clocks went back at 01:00 UTC.
# A lecture at 09:00 London that morning is 09:00 UTC. Offsets are elapsed time, so "24 hours
# before" is Saturday 09:00 UTC (10:00 BST on Saturday's clocks), not Saturday 09:00 BST.
AUTUMN_LECTURE = datetime(2027, 10, 31, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(isolated_db_name):
    """A delivery context on the real stores and Mailpit, its fake clock, a student."""
    settings = load_settings("notifications", {"mongo_db": isolated_db_name})
    db.connect(settings)
    db.ensure_indexes(*ALL_DOCUMENTS)
    config = load_notifications_config(settings)
    clock = FakeClock(datetime(2027, 10, 25, 12, 0, tzinfo=UTC))
    ctx = mongo_delivery(config, clock=clock)
    tag = uuid.uuid4().hex[:10]
    student = Identity(user_id=f"stu-{tag}", email=f"stu-{tag}@mail.meridian.test",
                       name="Ada", locale="en", timezone="Europe/London")
    MongoPreferences().record_identity(student)
    use.course_announced(ctx, {"course_id": "crs", "version": 1, "code": "SURG",
                               "title": "Surgical skills"})
    use.offering_announced(ctx, "o", types.OFFERING_OPENED, offering_payload("open"))
    use.enrollment_changed(ctx, f"e-{tag}", types.ENROLLMENT_CONFIRMED,
                           {**enrollment_payload(student.user_id, "confirmed")})
    service = PreferencesService(MongoPreferences(), config.unsubscribe_secret,
                                 replans=ctx.replans, clock=clock)
    return ctx, clock, student, service


def kinds_sent(ctx) -> list[str]:
    """One sending round (as the worker's sender runs it); the kinds it sent."""
    return [n.kind for n in send_round(ctx).sent]


def reminder_mails(student) -> list:
    return Mailbox(student.email).with_kind("reminder")


def due_times(ctx, student) -> dict[int, datetime]:
    return {job.offset_minutes: job.due_at for job in ctx.reminders.scheduled_for(
        student.user_id)}


def test_reminders_fire_at_the_elapsed_instant_across_the_autumn_dst_change(world):
    ctx, clock, student, _service = world
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(AUTUMN_LECTURE))
    assert sorted(kinds_sent(ctx)) == ["enrollment_confirmed", "session_scheduled"]
    assert due_times(ctx, student) == {1440: datetime(2027, 10, 30, 9, 0, tzinfo=UTC),
                                       60: datetime(2027, 10, 31, 8, 0, tzinfo=UTC)}
    day_before = datetime(2027, 10, 30, 9, 0, tzinfo=UTC)
    clock.at = day_before - timedelta(seconds=1)
    assert fire_due(ctx)[0] == 0
    assert kinds_sent(ctx) == []
    clock.at = day_before
    assert fire_due(ctx)[0] >= 1
    assert kinds_sent(ctx) == ["reminder"]
    (mail,) = Mailbox(student.email).wait_for_kind("reminder", timeout=60)
    assert mail["Subject"] == "Starts in 24 hours: Knots"
    assert parsedate_to_datetime(mail["Date"]) == day_before
    body = text_of(mail)
    # Shown on the reader's clock after the change: 09:00 Greenwich Mean Time, zone named.
    assert "9:00" in body and "Europe/London" in body
    assert fire_due(ctx)[0] == 0 and kinds_sent(ctx) == []  # fired once
    clock.at = AUTUMN_LECTURE - timedelta(minutes=60, seconds=1)
    assert fire_due(ctx)[0] == 0
    clock.at = AUTUMN_LECTURE - timedelta(minutes=60)
    assert fire_due(ctx)[0] >= 1
    assert kinds_sent(ctx) == ["reminder"]
    subjects = {m["Subject"] for m in Mailbox(student.email).wait_for_kind(
        "reminder", count=2, timeout=60)}
    assert subjects == {"Starts in 24 hours: Knots", "Starts in 1 hour: Knots"}


def test_changed_offsets_re_plan_the_stored_jobs_and_the_new_one_is_sent(world):
    ctx, clock, student, service = world
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(AUTUMN_LECTURE))
    kinds_sent(ctx)
    assert set(due_times(ctx, student)) == {1440, 60}
    service.change(student, {"reminders_minutes": [30]})
    assert apply_replans(ctx) == 1
    assert due_times(ctx, student) == {30: AUTUMN_LECTURE - timedelta(minutes=30)}
    assert ctx.replans.pending(10) == []
    clock.at = AUTUMN_LECTURE - timedelta(hours=24)
    fire_due(ctx)
    assert kinds_sent(ctx) == []  # the faculty's reminders reach their portal only
    clock.at = AUTUMN_LECTURE - timedelta(minutes=30)
    fire_due(ctx)
    assert kinds_sent(ctx) == ["reminder"]
    (mail,) = Mailbox(student.email).wait_for_kind("reminder", timeout=60)
    assert mail["Subject"] == "Starts in 30 minutes: Knots"
    assert [m["Subject"] for m in reminder_mails(student)] == ["Starts in 30 minutes: Knots"]


def test_a_daily_digest_holds_mail_until_seven_on_the_readers_clock_and_sends_it_once(world):
    ctx, clock, student, service = world
    kinds_sent(ctx)  # the enrollment's confirmation, before the reader chose the digest
    service.change(student, {"digest": "daily", "timezone": "Asia/Shanghai"})
    clock.at = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED,
                        session(datetime(2027, 3, 10, 9, 0, tzinfo=UTC)))
    assert kinds_sent(ctx) == []  # held for the digest
    slot = datetime(2027, 3, 1, 23, 0, tzinfo=UTC)  # 07:00 on 2 March in Shanghai
    clock.at = slot - timedelta(seconds=1)
    assert send_digests(ctx) == 0
    clock.at = slot
    assert send_digests(ctx) == 1
    assert send_digests(ctx) == 0  # the items are delivered by it: planned once
    assert kinds_sent(ctx) == ["digest"]
    (mail,) = Mailbox(student.email).wait_for_kind("digest", timeout=60)
    assert parsedate_to_datetime(mail["Date"]) == slot
    assert "Knots" in text_of(mail)
    assert Mailbox(student.email).with_kind("session_scheduled") == []
