"""What the enrollment service knows about an offering (its read model, fed by the catalog)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OfferingView:
    """Capacity, window, eligibility and selection of one offering, as last announced."""

    id: str
    course_id: str
    provider_institution_id: str
    capacity: int
    enrollment_opens_at: datetime
    enrollment_closes_at: datetime
    eligibility: dict | None
    selection: str
    waitlist: bool
    status: str
    faculty: list[dict] = field(default_factory=list)
    version: int = 1

    @property
    def is_lottery(self) -> bool:
        """Whether places are drawn rather than handed out as requests arrive."""
        return self.selection == "lottery"


@dataclass(frozen=True)
class Draw:
    """The one lottery draw of an offering: its inputs and its result (docs/lottery.md)."""

    offering_id: str
    seed: str
    algorithm: str
    applicants: list[dict]
    applicants_digest: str
    places: int
    quotas: dict[str, int]
    selected: list[str]
    waitlisted: list[str]
    drawn_by: str
    created_at: datetime
    applied_at: datetime | None = None


@dataclass(frozen=True)
class DrawOutline:
    """What an applicant may read of a draw beside their enrollment: seed, time, the selected."""

    offering_id: str
    seed: str
    drawn_at: datetime
    selected: frozenset[str]
