"""The sender on fakes: batches over parallel connections, retries 4xx, gives up on 5xx."""

from __future__ import annotations

from datetime import timedelta

from meridian_common.events import types
from meridian_notifications.application import delivery_events as use
from meridian_notifications.application.delivery_ports import DEFERRED, REJECTED, UNAVAILABLE
from meridian_notifications.application.delivery_sender import send_round
from tests.unit.delivery_fakes import FakeClock, delivery
from tests.unit.test_delivery_planning import (
    enrollment_payload,
    offering_payload,
    session_payload,
)


def fan_out(students: int, mailers: int = 1):
    clock = FakeClock()
    ctx = delivery(clock, mailers=mailers)
    use.offering_announced(ctx, "o", types.OFFERING_OPENED, offering_payload("open"))
    for n in range(students):
        student = f"stu-{n:04d}"
        ctx.preferences.person(student, email=f"{student}@uni.example")
        use.enrollment_changed(ctx, f"e-{student}", types.ENROLLMENT_CONFIRMED,
                               enrollment_payload(student, "confirmed"))
    while send_round(ctx, limit=1000).sent:
        pass  # the enrollment mails went out before
    for mailer in ctx.mailers:
        mailer.sent.clear()
        mailer.connections = 0
    use.session_changed(ctx, "cancel", types.SESSION_CANCELLED, session_payload(1, "cancelled"))
    return ctx, clock


def cancel_mails(ctx):
    return [n for n in ctx.outbox.of(kind="session_cancelled", channel="email")]


def test_a_fan_out_is_sent_over_one_connection_per_mailer_each_mail_once():
    ctx, _clock = fan_out(40, mailers=4)
    while send_round(ctx, limit=1000).sent:
        pass
    assert [m.connections for m in ctx.mailers] == [1, 1, 1, 1]
    assert [len(m.sent) for m in ctx.mailers] == [10, 10, 10, 10]
    sent = [m for mailer in ctx.mailers for m in mailer.sent]
    assert len(sent) == 40 and len({m["To"] for m in sent}) == 40
    assert all(n.state == "sent" for n in cancel_mails(ctx))


def test_a_4xx_is_retried_with_backoff_and_a_5xx_given_up_for_good():
    ctx, clock = fan_out(0)
    for student in ("stu-a", "stu-b"):
        ctx.preferences.person(student, email=f"{student}@uni.example")
        use.enrollment_changed(ctx, f"e-{student}", types.ENROLLMENT_CONFIRMED,
                               enrollment_payload(student, "confirmed"))
    ctx.mailers[0].script = [DEFERRED, REJECTED]
    result = send_round(ctx)
    by_who = {n.recipient: n for n in ctx.outbox.of(channel="email")}
    assert by_who["stu-a"].state == "failed" and by_who["stu-a"].attempts == 1
    assert by_who["stu-a"].next_attempt_at == clock.at + timedelta(seconds=5)
    assert by_who["stu-a"].last_error.startswith("451")
    assert by_who["stu-b"].state == "permanently_failed" and len(result.failed) == 2
    assert send_round(ctx).sent == []  # not due yet
    clock.advance(seconds=5)
    assert [n.recipient for n in send_round(ctx).sent] == ["stu-a"]
    assert ctx.outbox.rows[by_who["stu-b"].key].state == "permanently_failed"


def test_an_unreachable_server_costs_no_attempt_and_nothing_is_sent_twice_later():
    ctx, _clock = fan_out(5)
    ctx.mailers[0].script = [UNAVAILABLE] * 5
    result = send_round(ctx)
    assert result.server_down and result.released == 5
    assert all(n.state == "pending" and n.attempts == 0 for n in cancel_mails(ctx))
    assert len(send_round(ctx).sent) == 5
    assert send_round(ctx).sent == []
    assert len(ctx.mailers[0].sent) == 5
