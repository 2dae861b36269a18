"""The daily digest on fakes: held mails go out as one at 07:00 on the reader's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from meridian_common.events import types
from meridian_notifications.application import delivery_events as use
from meridian_notifications.application.delivery_digest import send_digests
from meridian_notifications.application.delivery_sender import send_round
from meridian_notifications.domain.digest import next_digest_at
from tests.unit.delivery_fakes import FakeClock, delivery
from tests.unit.test_delivery_planning import enrollment_payload, offering_payload


def test_the_digest_hour_is_local_and_follows_the_dst_change():
    before = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    # 07:00 in London on 28 March is already BST (06:00 UTC); the day before it was GMT.
    assert next_digest_at(before, "Europe/London") == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)
    assert next_digest_at(datetime(2027, 3, 27, 6, 59, tzinfo=UTC), "Europe/London") == \
        datetime(2027, 3, 27, 7, 0, tzinfo=UTC)
    assert next_digest_at(before, "Asia/Shanghai") == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)


def test_digest_readers_get_one_mail_at_their_hour_and_the_portal_notices_at_once():
    clock = FakeClock(datetime(2027, 3, 27, 12, 0, tzinfo=UTC))
    ctx = delivery(clock)
    use.course_announced(ctx, {"course_id": "crs", "version": 1, "code": "SURG",
                               "title": "Surgical skills"})
    use.offering_announced(ctx, "o", types.OFFERING_OPENED, offering_payload("open"))
    ctx.preferences.person("stu-d", email="d@uni.example", timezone="Europe/London",
                           digest="daily")
    ctx.preferences.person("stu-n", email="n@uni.example")
    for student in ("stu-d", "stu-n"):
        use.enrollment_changed(ctx, f"e-{student}", types.ENROLLMENT_CONFIRMED,
                               enrollment_payload(student, "confirmed"))
    use.enrollment_changed(ctx, "w-stu-d", types.ENROLLMENT_WITHDRAWN,
                           enrollment_payload("stu-d", "withdrawn", 2))
    assert {n.recipient for n in send_round(ctx).sent} == {"stu-n"}
    assert len(ctx.outbox.of(recipient="stu-d", channel="portal")) == 2
    assert send_digests(ctx) == 0  # not 07:00 in London yet
    clock.at = datetime(2027, 3, 28, 6, 0, tzinfo=UTC)
    assert send_digests(ctx) == 1 and send_digests(ctx) == 0
    (sent,) = send_round(ctx).sent
    assert sent.kind == "digest" and sent.recipient == "stu-d"
    assert sent.subject == "Your Meridian digest: 2 updates"
    assert "You are enrolled in SURG Surgical skills" in sent.body_text
    assert "You have withdrawn from SURG Surgical skills" in sent.body_text
    held = [n for n in ctx.outbox.of(recipient="stu-d", channel="email") if n.kind != "digest"]
    assert all(n.state == "sent" and "in digest" in n.last_error for n in held)
    clock.advance(hours=1)
    assert send_round(ctx).sent == [] and send_digests(ctx) == 0
    assert len(ctx.mailers[0].sent) == 2
