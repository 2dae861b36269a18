"""Seat numbers and waitlist positions, computed from what the ledger holds."""

from __future__ import annotations

import random


def free_seat_numbers(capacity: int, taken: set[int]) -> list[int]:
    """Seat numbers a new claim may try, lowest first; none while the offering is full.

    A seat numbered above the capacity (left over when the capacity was lowered) counts as
    taken and blocks new claims until it is moved below the capacity or released, so that
    the unique seat numbers 1..capacity keep bounding the number of confirmed students.
    """
    if len(taken) >= capacity or any(n > capacity for n in taken):
        return []
    return [n for n in range(1, capacity + 1) if n not in taken]


def attempt_order(free: list[int], rng: random.Random | None = None) -> list[int]:
    """The free seats rotated to a random start, so concurrent claims rarely collide."""
    if not free:
        return []
    start = (rng or random).randrange(len(free))
    return free[start:] + free[:start]


def positions(tickets: list[int]) -> dict[int, int]:
    """Waitlist positions (1, 2, ...) of the still-waiting tickets, gap-free whatever was
    promoted or withdrawn before them."""
    return {ticket: rank for rank, ticket in enumerate(sorted(tickets), start=1)}

