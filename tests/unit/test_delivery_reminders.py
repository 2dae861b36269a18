"""Reminder jobs with a controllable clock: the right instant across DST, re-planned, dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meridian_common.events import types
from meridian_notifications.application import delivery_events as use
from meridian_notifications.application.delivery_reminders import fire_due
from tests.unit.delivery_fakes import FakeClock, delivery
from tests.unit.test_delivery_planning import enrollment_payload, offering_payload

# Sunday 28 March 2027, 09:00 in London is the first morning of British Summer Time
# (08:00 UTC); the clocks went forward at 01:00 UTC that night.
DST_START = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)


def session(start, sequence=0, status="scheduled", **extra):
    return {"session_id": "ses", "series_id": "ser", "offering_id": "off", "kind": "seminar",
            "title": "Knots", "start": start, "end": start + timedelta(hours=1),
            "timezone": "Europe/London", "instructors": ["u-lead"], "status": status,
            "sequence": sequence, "uid": "ses@meridian", **extra}


def world(now=datetime(2027, 3, 26, 12, 0, tzinfo=UTC)):
    clock = FakeClock(now)
    ctx = delivery(clock)
    use.offering_announced(ctx, "o", types.OFFERING_OPENED, offering_payload("open"))
    ctx.preferences.person("stu-1", email="one@uni.example", timezone="Europe/London")
    ctx.preferences.person("stu-2", email="two@uni.example", locale="zh-Hans",
                           timezone="Asia/Shanghai", reminders_minutes=(30,))
    for student in ("stu-1", "stu-2"):
        use.enrollment_changed(ctx, f"e-{student}", types.ENROLLMENT_CONFIRMED,
                               enrollment_payload(student, "confirmed"))
    return ctx, clock


def reminders_sent(ctx):
    return sorted((n.recipient, n.data["facts"]["offset_minutes"])
                  for n in ctx.outbox.of(kind="reminder", channel="email"))


def test_reminders_fire_at_the_exact_instant_across_the_spring_dst_change():
    ctx, clock = world()
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(DST_START))
    # 24 hours before is Saturday 08:00 UTC, 08:00 GMT in London (not 09:00 wall-clock).
    clock.at = DST_START - timedelta(hours=24, seconds=1)
    assert fire_due(ctx)[0] == 0
    clock.at = DST_START - timedelta(hours=24)
    # stu-1's, the lead's and the TA's (these two in the portal: no address) 24 h reminders;
    # stu-2 chose 30 minutes only.
    assert fire_due(ctx)[0] == 3
    assert ("stu-1", 1440) in reminders_sent(ctx)
    clock.at = DST_START - timedelta(minutes=60, seconds=1)
    assert fire_due(ctx)[0] == 0
    clock.at = DST_START - timedelta(minutes=60)
    assert fire_due(ctx)[0] == 3
    clock.at = DST_START - timedelta(minutes=30)
    assert fire_due(ctx)[0] == 1
    assert reminders_sent(ctx) == [("stu-1", 60), ("stu-1", 1440), ("stu-2", 30)]
    assert len(ctx.outbox.of(kind="reminder", channel="portal")) == 7
    mail = next(n for n in ctx.outbox.of(kind="reminder", channel="email")
                if n.recipient == "stu-1" and n.data["facts"]["offset_minutes"] == 60)
    assert "Starts in 1 hour: Knots" == mail.subject
    assert "9:00" in mail.body_text and "Europe/London" in mail.body_text
    assert fire_due(ctx)[0] == 0  # every job fired once


def test_a_moved_session_gets_new_reminders_and_a_cancelled_one_none():
    ctx, clock = world()
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(DST_START))
    later = DST_START + timedelta(days=1)
    use.session_changed(ctx, "s1", types.SESSION_RESCHEDULED,
                        session(later, 1, previous_start=DST_START))
    assert {r.session_start for r in ctx.reminders.scheduled()} == {later}
    clock.at = DST_START - timedelta(minutes=1)
    assert fire_due(ctx)[0] == 0  # nothing left for the old time
    use.session_changed(ctx, "s2", types.SESSION_CANCELLED, session(later, 2, "cancelled"))
    assert ctx.reminders.scheduled() == []
    clock.at = later
    assert fire_due(ctx)[0] == 0 and reminders_sent(ctx) == []


def test_no_reminders_for_sessions_already_over_or_due_times_passed():
    ctx, _clock = world(now=DST_START - timedelta(minutes=45))
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(DST_START))
    assert sorted(r.offset_minutes for r in ctx.reminders.scheduled()) == [30]
    use.session_changed(ctx, "p0", types.SESSION_SCHEDULED,
                        {**session(DST_START - timedelta(days=1)), "session_id": "past"})
    assert all(r.session_id == "ses" for r in ctx.reminders.scheduled())


def test_a_student_who_withdraws_gets_no_reminder_and_a_late_joiner_does():
    ctx, clock = world()
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(DST_START))
    use.enrollment_changed(ctx, "w", types.ENROLLMENT_WITHDRAWN,
                           enrollment_payload("stu-1", "withdrawn", 2))
    ctx.preferences.person("stu-3", email="three@uni.example")
    use.enrollment_changed(ctx, "p", types.ENROLLMENT_PROMOTED,
                           enrollment_payload("stu-3", "confirmed", 2))
    clock.at = DST_START
    fire_due(ctx)
    people = {who for who, _offset in reminders_sent(ctx)}
    assert "stu-1" not in people and "stu-3" in people
