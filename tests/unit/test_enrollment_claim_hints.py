"""The per-process claim hints: what they may say about an offering's seats and tickets."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from meridian_enrollment.adapters.claim_hints import MAX_AGE, MAX_MISSES, ClaimHints

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


def test_picks_only_numbers_not_known_taken_and_each_once():
    hints = ClaimHints()
    hint = hints.read("off", 10, {2, 5}, NOW)
    picked = [hint.pick(random.Random(n)) for n in range(8)]
    assert sorted(picked) == [1, 3, 4, 6, 7, 8, 9, 10]
    assert hint.pick() is None and hint.unknown() == 0


def test_a_seat_above_the_capacity_blocks_every_pick():
    hint = ClaimHints().read("off", 5, {1, 7}, NOW)
    assert hint.blocked and hint.unknown() == 0 and hint.pick() is None


def test_a_hint_is_for_one_capacity_and_a_limited_time():
    hints = ClaimHints()
    hints.read("off", 10, {1}, NOW)
    assert hints.seats("off", 10, NOW + MAX_AGE) is not None
    assert hints.seats("off", 12, NOW) is None  # the capacity changed: read again
    assert hints.seats("off", 10, NOW + MAX_AGE + timedelta(seconds=1)) is None
    assert hints.seats("other", 10, NOW) is None


def test_refused_inserts_in_a_row_stop_the_picking_until_the_next_read():
    hints = ClaimHints()
    hint = hints.read("off", 100, set(), NOW)
    hint.misses = MAX_MISSES
    assert hint.pick() is None
    assert hints.read("off", 100, set(), NOW).pick() is not None


def test_forgetting_drops_the_seat_hint():
    hints = ClaimHints()
    hints.read("off", 10, set(), NOW)
    hints.forget_seats("off")
    assert hints.seats("off", 10, NOW) is None


def test_the_ticket_hint_keeps_the_highest_ticket_seen():
    hints = ClaimHints()
    assert hints.last_ticket("off") is None
    for ticket in (3, 7, 5):
        hints.saw_ticket("off", ticket)
    assert hints.last_ticket("off") == 7
    hints.saw_ticket("empty", 0)
    assert hints.last_ticket("empty") is None
