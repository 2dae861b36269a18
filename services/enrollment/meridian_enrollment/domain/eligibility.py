"""Who may enroll: by institution, alliance or country of the student's institution."""

from __future__ import annotations

from dataclasses import dataclass

from .refusals import NOT_ALLOWED, Refusal


@dataclass(frozen=True)
class InstitutionFacts:
    """What the enrollment service knows about a student's institution."""

    country: str
    alliances: tuple[str, ...] = ()


def is_restricted(eligibility: dict | None) -> bool:
    """An offering is restricted when its eligibility names anything at all."""
    return bool(eligibility) and any(eligibility.get(k) for k in
                                     ("institutions", "alliances", "countries"))


def _describe(eligibility: dict) -> str:
    parts = [f"{label} {', '.join(eligibility[key])}" for key, label in
             (("institutions", "institutions"), ("alliances", "alliances"),
              ("countries", "countries")) if eligibility.get(key)]
    return "; ".join(parts)


def eligibility_refusal(eligibility: dict | None, institution_id: str | None,
                        facts: InstitutionFacts | None) -> Refusal | None:
    """Why a student of `institution_id` may not enroll, or None when they may."""
    if not is_restricted(eligibility):
        return None
    open_to = _describe(eligibility)
    if not institution_id:
        return Refusal(NOT_ALLOWED, "not_eligible",
                       f"This offering is open only to {open_to}; your account names no "
                       "institution.", reason="no_institution")
    if institution_id in (eligibility.get("institutions") or []):
        return None
    if facts is not None:
        if facts.country in (eligibility.get("countries") or []):
            return None
        if set(facts.alliances) & set(eligibility.get("alliances") or []):
            return None
        return Refusal(NOT_ALLOWED, "not_eligible",
                       f"This offering is open only to {open_to}; institution {institution_id} "
                       f"({facts.country}) is not among them.", reason="not_eligible")
    return Refusal(NOT_ALLOWED, "not_eligible",
                   f"This offering is open only to {open_to}; institution {institution_id} is "
                   "not known to the enrollment service.", reason="institution_unknown")
