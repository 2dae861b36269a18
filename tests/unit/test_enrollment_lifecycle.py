"""The enrollment life cycle: allowed transitions, the events they cause, refused moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meridian_common.events import types
from meridian_enrollment.domain import lifecycle
from meridian_enrollment.domain.lifecycle import IllegalTransition, move, new_enrollment
from meridian_enrollment.domain.refusals import CONFLICT, Refusal

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
LATER = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def draft():
    return new_enrollment("enr_1", "off_1", "stu_1", "ins_1", "stu_1", NOW)


def test_a_new_enrollment_starts_confirmed_waitlisted_or_applied_with_one_event():
    confirmed, events = move(draft(), "confirm", NOW)
    assert (confirmed.status, confirmed.version) == ("confirmed", 1)
    assert events == [lifecycle.Event(types.ENROLLMENT_CONFIRMED)]
    waiting, events = move(draft(), "waitlist", NOW, ticket=4, position=3)
    assert (waiting.status, waiting.ticket) == ("waitlisted", 4)
    assert events == [lifecycle.Event(types.ENROLLMENT_WAITLISTED, 3)]
    applied, events = move(draft(), "apply", NOW)
    assert applied.status == "applied" and events[0].type == types.ENROLLMENT_APPLIED


def test_promotion_confirms_a_waiting_enrollment_as_the_next_version():
    waiting, _ = move(draft(), "waitlist", NOW, ticket=1, position=1)
    promoted, events = move(waiting, "promote", LATER)
    assert (promoted.status, promoted.version, promoted.updated_at) == ("confirmed", 2, LATER)
    assert promoted.ticket == 1 and promoted.created_at == NOW
    assert events == [lifecycle.Event(types.ENROLLMENT_PROMOTED)]


def test_a_draw_selects_or_waitlists_an_application():
    applied, _ = move(draft(), "apply", NOW)
    selected, events = move(applied, "select", LATER)
    assert selected.status == "confirmed" and events[0].type == types.ENROLLMENT_CONFIRMED
    waiting, events = move(applied, "waitlist", LATER, ticket=7, position=2)
    assert waiting.status == "waitlisted" and events[0].waitlist_position == 2


@pytest.mark.parametrize("start", ["confirm", "apply", "waitlist"])
def test_every_active_state_can_be_withdrawn_or_cancelled(start):
    active, _ = move(draft(), start, NOW, ticket=1, position=1)
    withdrawn, events = move(active, "withdraw", LATER)
    assert withdrawn.status == "withdrawn" and events[0].type == types.ENROLLMENT_WITHDRAWN
    cancelled, events = move(active, "cancel", LATER, reason="offering_cancelled")
    assert (cancelled.status, cancelled.reason) == ("cancelled", "offering_cancelled")
    assert events[0].type == types.ENROLLMENT_CANCELLED and events[0].waitlist_position is None


@pytest.mark.parametrize("end", ["withdraw", "cancel"])
def test_an_ended_enrollment_refuses_every_move_as_not_active(end):
    ended, _ = move(move(draft(), "confirm", NOW)[0], end, LATER)
    for action in ("withdraw", "cancel", "promote", "select"):
        with pytest.raises(Refusal) as refused:
            move(ended, action, LATER)
        assert (refused.value.kind, refused.value.code) == (CONFLICT, "not_active")


def test_moves_the_machine_does_not_have_are_programming_errors():
    confirmed, _ = move(draft(), "confirm", NOW)
    with pytest.raises(IllegalTransition):
        move(confirmed, "promote", LATER)
    with pytest.raises(IllegalTransition):
        move(draft(), "withdraw", NOW)
    with pytest.raises(IllegalTransition):
        move(draft(), "waitlist", NOW)  # a place in line needs a ticket


def test_every_event_type_of_the_machine_is_a_published_enrollment_type():
    assert {event for _, event in lifecycle.TRANSITIONS.values()} == set(types.ENROLLMENT_EVENTS)
