"""Reminders planned anew when a reader changes their reminder offsets (fakes, fake clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meridian_common.events import types
from meridian_notifications.application import delivery_events as use
from meridian_notifications.application.delivery_reminders import fire_due
from meridian_notifications.application.delivery_replans import REPLAN_PATIENCE, apply_replans
from meridian_notifications.application.ports import Identity
from meridian_notifications.application.preferences import PreferencesService
from tests.unit.delivery_fakes import FakeClock, delivery
from tests.unit.notifications_fakes import FakePreferences
from tests.unit.test_delivery_planning import enrollment_payload, offering_payload
from tests.unit.test_delivery_reminders import session

START = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
STUDENT = Identity(user_id="stu-1", email="one@uni.example", name="One", locale="en",
                   timezone="Europe/London")


def world():
    clock = FakeClock(datetime(2027, 5, 1, 12, 0, tzinfo=UTC))
    ctx = delivery(clock)
    ctx.preferences = FakePreferences()  # the API's fake: saves versions, records identities
    service = PreferencesService(ctx.preferences, "s" * 32, replans=ctx.replans, clock=clock)
    service.view(STUDENT)
    use.offering_announced(ctx, "o", types.OFFERING_OPENED, offering_payload("open"))
    use.enrollment_changed(ctx, "e1", types.ENROLLMENT_CONFIRMED,
                           enrollment_payload("stu-1", "confirmed"))
    use.session_changed(ctx, "s0", types.SESSION_SCHEDULED, session(START))
    use.session_changed(ctx, "s1", types.SESSION_SCHEDULED,
                        {**session(START + timedelta(days=7)), "session_id": "ses-2"})
    return ctx, clock, service


def offsets_of(ctx, who="stu-1"):
    return sorted((r.session_id, r.offset_minutes) for r in ctx.reminders.scheduled_for(who))


def test_new_offsets_replace_the_old_jobs_of_every_coming_session_and_fire_on_time():
    ctx, clock, service = world()
    assert offsets_of(ctx) == [("ses", 60), ("ses", 1440), ("ses-2", 60), ("ses-2", 1440)]
    lead_jobs = offsets_of(ctx, "u-lead")
    service.change(STUDENT, {"reminders_minutes": [120, 15]})
    assert offsets_of(ctx) == [("ses", 60), ("ses", 1440), ("ses-2", 60), ("ses-2", 1440)]
    assert apply_replans(ctx) == 1 and list(ctx.replans.rows) == []
    assert offsets_of(ctx) == [("ses", 15), ("ses", 120), ("ses-2", 15), ("ses-2", 120)]
    assert offsets_of(ctx, "u-lead") == lead_jobs  # nobody else's jobs change
    clock.at = START - timedelta(hours=24)
    assert fire_due(ctx)[0] == 2  # the lead's and the TA's; not the student's any more
    clock.at = START - timedelta(minutes=120)
    assert fire_due(ctx)[0] == 1
    (mail,) = ctx.outbox.of(kind="reminder", channel="email", recipient="stu-1")
    assert mail.data["facts"]["offset_minutes"] == 120


def test_an_offset_chosen_again_is_planned_again_and_other_changes_ask_for_nothing():
    ctx, _clock, service = world()
    service.change(STUDENT, {"reminders_minutes": [15]})
    apply_replans(ctx)
    service.change(STUDENT, {"locale": "zh-Hans", "digest": "daily"})
    assert ctx.replans.rows == {}
    service.change(STUDENT, {"reminders_minutes": [60, 15]})
    apply_replans(ctx)
    assert offsets_of(ctx) == [("ses", 15), ("ses", 60), ("ses-2", 15), ("ses-2", 60)]
    service.change(STUDENT, {"reminders_minutes": []})
    apply_replans(ctx)
    assert offsets_of(ctx) == []


def test_a_request_waits_for_its_change_to_be_stored_or_for_its_patience_to_run_out():
    ctx, clock, _service = world()
    # The API asked (version 1) but has not stored the change yet, or never will.
    ctx.replans.request("stu-1", 1, clock.now())
    assert apply_replans(ctx) == 0 and len(ctx.replans.rows) == 1
    clock.advance(seconds=REPLAN_PATIENCE.total_seconds())
    assert apply_replans(ctx) == 1 and ctx.replans.rows == {}
    # Carried out on the stored (default) offsets: nothing lost, nothing doubled.
    assert offsets_of(ctx) == [("ses", 60), ("ses", 1440), ("ses-2", 60), ("ses-2", 1440)]


def test_a_job_whose_offset_the_reader_dropped_is_not_sent_even_before_the_replan():
    ctx, clock, service = world()
    service.change(STUDENT, {"reminders_minutes": [15]})
    clock.at = START - timedelta(hours=24)
    fire_due(ctx)  # the worker had not re-planned yet
    assert ctx.outbox.of(kind="reminder", recipient="stu-1") == []
    apply_replans(ctx)
    clock.at = START - timedelta(minutes=15)
    fire_due(ctx)
    assert {n.channel for n in ctx.outbox.of(kind="reminder", recipient="stu-1")} == \
        {"email", "portal"}
