"""Seat numbers and waitlist positions derived from the ledger's contents."""

from __future__ import annotations

import random

from meridian_enrollment.domain.seats import attempt_order, free_seat_numbers, positions


def test_free_seats_are_the_untaken_numbers_up_to_capacity():
    assert free_seat_numbers(5, {2, 4}) == [1, 3, 5]


def test_full_offering_has_no_free_seat():
    assert free_seat_numbers(3, {1, 2, 3}) == []


def test_a_seat_above_a_lowered_capacity_blocks_new_claims():
    # Capacity cut from 5 to 3 while seats 1 and 5 are held: 2 and 3 look free, but taking
    # both would make 3 confirmed... plus seat 5: one too many.
    assert free_seat_numbers(3, {1, 5}) == []


def test_attempts_cover_every_free_seat_once_from_a_random_start():
    free = [1, 3, 5, 8]
    for seed in range(10):
        order = attempt_order(free, random.Random(seed))
        assert sorted(order) == free
        start = order[0]
        assert order == free[free.index(start):] + free[:free.index(start)]
    assert attempt_order([]) == []


def test_positions_are_gap_free_ranks_of_the_waiting_tickets():
    assert positions([7, 3, 12, 4]) == {3: 1, 4: 2, 7: 3, 12: 4}
    assert positions([]) == {}
