"""Delivery planning on in-memory fakes: who hears what, on which channel, exactly once."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from meridian_common.events import types
from meridian_notifications.application import delivery_events as use
from meridian_notifications.domain.notification import notification_key
from tests.unit.delivery_fakes import delivery

START = datetime(2027, 3, 15, 14, 0, tzinfo=UTC)
END = datetime(2027, 3, 15, 15, 0, tzinfo=UTC)


def world(students=("stu-1", "stu-2", "stu-3")):
    ctx = delivery()
    use.course_announced(ctx, {"course_id": "crs", "version": 1, "code": "SURG",
                               "title": "Surgical skills"})
    use.offering_announced(ctx, "evt-open", types.OFFERING_OPENED, offering_payload("open"))
    for number, student in enumerate(students):
        ctx.preferences.person(student, email=f"{student}@uni.example",
                               locale="zh-Hans" if number % 2 else "en",
                               timezone="Asia/Shanghai")
        use.enrollment_changed(ctx, f"evt-enr-{student}", types.ENROLLMENT_CONFIRMED,
                               enrollment_payload(student, "confirmed"))
    ctx.preferences.person("u-lead", email="lead@ox.example", timezone="Europe/London")
    return ctx


def offering_payload(status: str, version: int = 1) -> dict:
    return {"offering_id": "off", "course_id": "crs", "status": status, "version": version,
            "faculty": [{"user_id": "u-lead", "role": "lead"}, {"user_id": "u-ta", "role": "ta"}]}


def enrollment_payload(student: str, status: str, version: int = 1, **extra) -> dict:
    return {"enrollment_id": f"enr-{student}", "offering_id": "off", "student_id": student,
            "status": status, "waitlist_position": None, "version": version, **extra}


def session_payload(sequence=0, status="scheduled", start=START, end=END, **extra) -> dict:
    return {"session_id": "ses", "series_id": "ser", "offering_id": "off", "kind": "lecture",
            "title": "Suturing", "start": start, "end": end, "timezone": "Europe/London",
            "instructors": ["u-lead"], "status": status, "sequence": sequence,
            "uid": "ses@meridian", **extra}


def test_a_cancelled_session_reaches_every_confirmed_student_and_the_faculty():
    ctx = world()
    use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload())
    use.enrollment_changed(ctx, "evt-w", types.ENROLLMENT_WITHDRAWN,
                           enrollment_payload("stu-3", "withdrawn", 2))
    stored = use.session_changed(ctx, "evt-s1", types.SESSION_CANCELLED,
                                 session_payload(1, "cancelled"))
    mails = ctx.outbox.of(kind="session_cancelled", channel="email")
    assert sorted(n.recipient for n in mails) == ["stu-1", "stu-2", "u-lead"]
    portal = ctx.outbox.of(kind="session_cancelled", channel="portal")
    # u-ta never signed in: no address is known, so the notice waits in the portal only.
    assert sorted(n.recipient for n in portal) == ["stu-1", "stu-2", "u-lead", "u-ta"]
    assert stored == 7
    assert {n.to_address for n in mails} == {"stu-1@uni.example", "stu-2@uni.example",
                                             "lead@ox.example"}


def test_redelivered_events_and_replays_plan_nothing_twice():
    ctx = world()
    first = use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload())
    assert first > 0
    total = len(ctx.outbox.rows)
    assert use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload()) == 0
    assert use.enrollment_changed(ctx, "evt-enr-stu-1", types.ENROLLMENT_CONFIRMED,
                                  enrollment_payload("stu-1", "confirmed")) == 0
    assert len(ctx.outbox.rows) == total
    key = notification_key("evt-s0", "stu-1", "email")
    assert ctx.outbox.rows[key].recipient == "stu-1"
    assert notification_key("evt-s0", "stu-1", "email") == key != notification_key(
        "evt-s0", "stu-1", "portal")


def test_enrollment_kinds_carry_position_and_lottery_facts_in_the_readers_language():
    ctx = world(students=())
    ctx.preferences.person("stu-9", email="nine@uni.example", locale="zh-Hans")
    use.enrollment_changed(ctx, "e1", types.ENROLLMENT_WAITLISTED,
                           enrollment_payload("stu-9", "waitlisted", waitlist_position=4))
    (waiting,) = ctx.outbox.of(kind="enrollment_waitlisted", channel="email")
    assert "第 4 位" in waiting.subject and "SURG Surgical skills" in waiting.body_text
    draw = {"seed": "committee-2027", "algorithm": "sha256-rank-v1", "places": 2,
            "applicants": 9, "selected": False, "how_to_verify": "Sort by SHA-256.",
            "drawn_at": START}
    ctx.preferences.person("stu-8", email="eight@uni.example")
    use.enrollment_changed(ctx, "e2", types.ENROLLMENT_WAITLISTED,
                           enrollment_payload("stu-8", "waitlisted", waitlist_position=2,
                                              draw=draw))
    (lottery,) = ctx.outbox.of(kind="lottery_result", channel="email")
    assert "not selected" in lottery.body_text and "committee-2027" in lottery.body_text
    assert "Sort by SHA-256." in lottery.body_text and "number 2" in lottery.body_text


def test_users_without_an_address_or_with_email_off_get_the_portal_notice_only():
    ctx = world(students=())
    ctx.preferences.person("stu-x")
    use.enrollment_changed(ctx, "e1", types.ENROLLMENT_CONFIRMED,
                           enrollment_payload("stu-x", "confirmed"))
    assert [n.channel for n in ctx.outbox.rows.values()] == ["portal"]


def test_an_offering_cancellation_tells_students_already_cancelled_by_enrollment():
    ctx = world()
    use.enrollment_changed(ctx, "c1", types.ENROLLMENT_CANCELLED,
                           enrollment_payload("stu-1", "cancelled", 2))
    use.offering_announced(ctx, "evt-cancel", types.OFFERING_CANCELLED,
                           offering_payload("cancelled", 2))
    told = {n.recipient for n in ctx.outbox.of(kind="offering_cancelled")}
    assert told == {"stu-1", "stu-2", "stu-3", "u-lead", "u-ta"}
    # The sessions the classroom cancels with the offering add no second notice.
    assert use.session_changed(ctx, "evt-sc", types.SESSION_CANCELLED, session_payload(
        1, "cancelled", reason="offering_cancelled")) == 0


def test_a_session_mail_links_to_join_and_to_one_click_unsubscribe():
    ctx = world()
    use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload())
    mail = ctx.outbox.rows[notification_key("evt-s0", "stu-1", "email")]
    assert mail.data["join_url"] == ("https://meridian.example/timetable?from=2027-03-15"
                                     "&to=2027-03-15#session-ses")
    assert mail.data["unsubscribe_url"].startswith("https://meridian.example/api/v1/unsubscribe/")
    # 14:00 UTC is 22:00 in Shanghai; the zone is named.
    assert re.search(r"Mar 15, 2027, 10:00\sPM China", mail.body_text)
    assert "(Asia/Shanghai)" in mail.body_text


class FlakyOutbox:
    """Fails the first insert, as a database timeout would, after the read model was written."""

    def __init__(self, outbox):
        self.outbox, self.failed = outbox, False

    def __getattr__(self, name):
        return getattr(self.outbox, name)

    def insert_many_if_absent(self, notifications):
        if not self.failed:
            self.failed = True
            raise TimeoutError("database timed out")
        return self.outbox.insert_many_if_absent(notifications)


def test_a_retry_after_a_failure_halfway_still_plans_the_notices():
    import pytest

    ctx = world()
    ctx.outbox = FlakyOutbox(ctx.outbox)
    with pytest.raises(TimeoutError):
        use.session_changed(ctx, "evt-s1", types.SESSION_CANCELLED,
                            session_payload(1, "cancelled"))
    assert use.session_changed(ctx, "evt-s1", types.SESSION_CANCELLED,
                               session_payload(1, "cancelled")) == 9
    assert use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload()) == 0


def test_a_fan_out_renders_once_per_language_and_zone_yet_each_mail_is_personal():
    from meridian_notifications.adapters.rendering import TemplateRenderer

    class Counting(TemplateRenderer):
        calls = 0

        def render(self, *args):
            Counting.calls += 1
            return super().render(*args)

    ctx = world()
    ctx.renderer = Counting()
    ctx.preferences.rows["stu-1"] = replace(ctx.preferences.rows["stu-1"], name="Ann & <Bo>")
    use.session_changed(ctx, "evt-s0", types.SESSION_SCHEDULED, session_payload())
    # en/Shanghai (stu-1, stu-3), zh/Shanghai (stu-2), en/London (lead), en/UTC (the TA).
    assert Counting.calls == 4
    one = ctx.outbox.rows[notification_key("evt-s0", "stu-1", "email")]
    three = ctx.outbox.rows[notification_key("evt-s0", "stu-3", "email")]
    assert "Hello Ann & <Bo>," in one.body_text and "Hello Ann &amp; &lt;Bo&gt;," in one.body_html
    assert "Hello Stu-3," in three.body_text
    assert one.data["unsubscribe_url"] in one.body_text and one.data["unsubscribe_url"] in \
        one.body_html
    assert three.data["unsubscribe_url"] in three.body_text
    assert one.data["unsubscribe_url"] != three.data["unsubscribe_url"]
    assert "\u2063" not in one.body_text + one.body_html + one.subject
