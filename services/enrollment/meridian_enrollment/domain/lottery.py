"""The lottery draw: a pure, documented function anyone can re-run (see docs/lottery.md).

Each applicant's ticket is SHA-256(seed + ":" + applicant_id) in lower-case hex; applicants are
ranked by ticket (ties, which SHA-256 makes practically impossible, by id). Walking that order,
an applicant is selected while places remain and their institution is below its quota;
everyone else is waitlisted in the same order.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

ALGORITHM = "sha256-rank-v1"


@dataclass(frozen=True)
class DrawResult:
    """Who got a place and who waits, both in draw order."""

    order: list[str]
    selected: list[str]
    waitlisted: list[str]


def new_seed() -> str:
    """A fresh random seed (128 bits, hex) for admins who do not bring their own."""
    return secrets.token_hex(16)


def ticket(seed: str, applicant_id: str) -> str:
    """The applicant's ticket: SHA-256 of `seed:applicant_id` (UTF-8), lower-case hex."""
    return hashlib.sha256(f"{seed}:{applicant_id}".encode()).hexdigest()


def applicants_digest(applicant_ids: list[str]) -> str:
    """SHA-256 of the sorted applicant ids, each followed by a newline (UTF-8)."""
    return hashlib.sha256("".join(f"{a}\n" for a in sorted(applicant_ids)).encode()).hexdigest()


def draw_order(seed: str, applicant_ids: list[str]) -> list[str]:
    """Applicants ranked by ticket; the input order does not matter."""
    return sorted(sorted(set(applicant_ids)), key=lambda a: (ticket(seed, a), a))


def draw(seed: str, institutions: dict[str, str | None], places: int,
         quotas: dict[str, int] | None = None) -> DrawResult:
    """Select up to `places` applicants; `institutions` maps applicant id → institution id."""
    quotas = quotas or {}
    taken: dict[str, int] = {}
    order = draw_order(seed, list(institutions))
    selected: list[str] = []
    waitlisted: list[str] = []
    for applicant in order:
        institution = institutions[applicant]
        capped = institution in quotas and taken.get(institution, 0) >= quotas[institution]
        if len(selected) < places and not capped:
            selected.append(applicant)
            taken[institution] = taken.get(institution, 0) + 1
        else:
            waitlisted.append(applicant)
    return DrawResult(order=order, selected=selected, waitlisted=waitlisted)


def how_to_verify(seed: str, places: int, quotas: dict[str, int]) -> str:
    """Plain-language instructions that let anyone re-run this draw."""
    quota_text = (f" Institution quotas (maximum selected per institution): {quotas}."
                  if quotas else " No institution quotas applied.")
    return (
        f"Take the applicant ids listed in `applicants`; check that SHA-256 over the sorted ids, "
        f"each followed by a newline, equals `applicants_digest`. For each id compute "
        f"SHA-256 of the UTF-8 string \"{seed}:<id>\" as lower-case hex and sort the "
        f"applicants by that value (then by id). Walk the sorted list: select an applicant "
        f"while fewer than {places} are selected and their institution (see `institutions`) "
        f"has fewer selected than its quota; everyone else is waitlisted in that order."
        f"{quota_text} Algorithm {ALGORITHM}, described in docs/lottery.md."
    )
