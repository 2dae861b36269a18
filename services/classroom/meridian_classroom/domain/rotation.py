"""For a repeating series, share the inconvenient hour between zones instead of always
hurting the same one: choose up to three slots used in turn that minimise the largest share
of sessions any zone spends outside its acceptable hours."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from .slots import Candidate

MAX_SLOTS = 3
MAX_POOL = 30
# Each zone gets one byte in a packed integer; a share count never exceeds 52 sessions.
BITS = 8


@dataclass(frozen=True)
class Rotation:
    """Slots used in turn (session i uses slots[i % len(slots)]) and what each zone bears."""

    slots: tuple[Candidate, ...]
    occurrences: int
    worst_share_outside: float
    average_share_outside: float
    share_outside: dict[str, float]


@dataclass(frozen=True)
class _Hurt:
    candidate: Candidate
    packed: int
    people_hurt: int


def _hurt(candidate: Candidate, zones: list[str], days: int) -> _Hurt:
    fits = {fit.zone: fit for fit in candidate.zones}
    hurt = [not fits[name].inside_every_day(days) for name in zones]
    packed = sum(1 << (BITS * i) for i, flag in enumerate(hurt) if flag)
    return _Hurt(candidate, packed, sum(fits[n].participants for n, f in zip(
        zones, hurt, strict=True) if f))


def _pool(hurts: list[_Hurt]) -> list[_Hurt]:
    # Fairness depends only on which zones a slot hurts, so the best-ranked slot of each
    # distinct "hurt pattern" stands for all slots with that pattern.
    pool, seen = [], set()
    for hurt in hurts:
        if hurt.packed not in seen:
            seen.add(hurt.packed)
            pool.append(hurt)
    return pool[:MAX_POOL]


def _uses(size: int, occurrences: int) -> list[int]:
    return [occurrences // size + (i < occurrences % size) for i in range(size)]


def plan(ranked: list[Candidate], occurrences: int, days: int) -> Rotation | None:
    """The fairest rotation for `occurrences` sessions, or None if one slot is already fair."""
    if not ranked or occurrences < 2:
        return None
    zones = [fit.zone for fit in ranked[0].zones if fit.participants]
    if not zones:
        return None
    total = sum(fit.participants for fit in ranked[0].zones)
    width = len(zones)
    pool = _pool([_hurt(c, zones, days) for c in ranked])
    if pool[0].packed == 0:
        return None  # the best slot hurts nobody
    best_key, best = (1, 1.0, 1), None
    for size in range(2, min(MAX_SLOTS, occurrences) + 1):
        uses = _uses(size, occurrences)
        for combo in combinations(pool, size):
            # The slot covering most people takes the spare sessions when they don't divide.
            ordered = sorted(combo, key=lambda h: (-h.candidate.covered, h.candidate.wall_time))
            counts = sum(n * h.packed for n, h in zip(uses, ordered, strict=True))
            worst = max(counts.to_bytes(width, "little")) / occurrences
            average = sum(n * h.people_hurt for n, h in zip(uses, ordered, strict=True)) / (
                occurrences * total)
            key = (worst, average, size)
            if key < best_key:
                best_key, best = key, (ordered, uses, counts)
    if best is None:
        return None
    ordered, uses, counts = best
    per_zone = counts.to_bytes(width, "little")
    return Rotation(slots=tuple(h.candidate for h in ordered), occurrences=occurrences,
                    worst_share_outside=best_key[0], average_share_outside=best_key[1],
                    share_outside={name: per_zone[i] / occurrences
                                   for i, name in enumerate(zones)})
