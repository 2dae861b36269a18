"""For a repeating series, share the inconvenient hour between zones instead of always
hurting the same one: choose up to three slots used in turn that minimise the largest share
of sessions any zone spends outside its acceptable hours."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from .slots import Candidate

MAX_SLOTS = 3
TOP_BY_COVERAGE = 8


@dataclass(frozen=True)
class Rotation:
    """Slots used in turn (session i uses slots[i % len(slots)]) and what each zone bears."""

    slots: tuple[Candidate, ...]
    occurrences: int
    worst_share_outside: float
    average_share_outside: float
    share_outside: dict[str, float]


def _hurts(candidate: Candidate, days: int) -> dict[str, bool]:
    return {fit.zone: not fit.inside_every_day(days) for fit in candidate.zones}


def _pool(ranked: list[Candidate], hurts: dict) -> list[Candidate]:
    # The best slots overall, plus for every zone the best slot that suits it: a rotation
    # partner is often a slot that is poor overall but good for the zones the others hurt.
    pool = list(ranked[:TOP_BY_COVERAGE])
    chosen = {c.wall_time for c in pool}
    for name in (fit.zone for fit in ranked[0].zones):
        best = next((c for c in ranked if not hurts[c.wall_time][name]), None)
        if best is not None and best.wall_time not in chosen:
            pool.append(best)
            chosen.add(best.wall_time)
    return pool


def _score(slots: tuple[Candidate, ...], hurts: dict, occurrences: int,
           people: dict[str, int]) -> tuple[float, float, dict[str, float]]:
    uses = [occurrences // len(slots) + (i < occurrences % len(slots)) for i in range(len(slots))]
    hurt_maps = [hurts[slot.wall_time] for slot in slots]
    shares = {name: sum(n for n, hurt in zip(uses, hurt_maps, strict=True) if hurt[name])
              / occurrences for name in people}
    total = sum(people.values()) or 1
    average = sum(shares[name] * count for name, count in people.items()) / total
    return max(shares.values(), default=0.0), average, shares


def plan(ranked: list[Candidate], occurrences: int, days: int) -> Rotation | None:
    """The fairest rotation for `occurrences` sessions, or None if one slot is already fair."""
    if not ranked or occurrences < 2:
        return None
    people = {fit.zone: fit.participants for fit in ranked[0].zones if fit.participants}
    hurts = {c.wall_time: _hurts(c, days) for c in ranked}
    pool = _pool(ranked, hurts)
    best_single = _score((ranked[0],), hurts, occurrences, people)
    if best_single[0] == 0.0:
        return None
    best_key, best = None, None
    for size in range(2, min(MAX_SLOTS, occurrences) + 1):
        for combo in combinations(pool, size):
            # The slot covering most people takes the spare sessions when they don't divide.
            slots = tuple(sorted(combo, key=lambda c: (-c.covered, c.wall_time)))
            worst, average, shares = _score(slots, hurts, occurrences, people)
            key = (round(worst, 9), round(average, 9), size)
            if best_key is None or key < best_key:
                best_key, best = key, (slots, worst, average, shares)
    if best is None or best[1] >= best_single[0]:
        return None
    slots, worst, average, shares = best
    return Rotation(slots=slots, occurrences=occurrences, worst_share_outside=worst,
                    average_share_outside=average, share_outside=shares)
