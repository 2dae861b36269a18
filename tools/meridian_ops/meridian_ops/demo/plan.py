"""Who enrolls where: a deterministic plan computed from the demo data alone (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from . import alliance

SURGERY_COHORT = 27
COURSES_PER_INSTITUTION = 4
LOTTERY_APPLICANTS_PER_INSTITUTION = 2
LOTTERY_INSTITUTIONS = 20
# Small enough to answer well within the gateway's 5 s upstream timeout on a busy machine.
BATCH = 20


@dataclass(frozen=True)
class OfferingKeys:
    """The plan keys of the offerings students join, grouped by who may join them."""

    general: list[str]
    changchun: list[str]
    lottery: tuple[str, ...]

    @classmethod
    def of(cls, offerings: dict) -> OfferingKeys:
        """Group the keys of an offerings mapping (`general:*`, `changchun:*`, `lottery:*`)."""
        def starting(prefix: str) -> list[str]:
            return sorted(k for k in offerings if k.startswith(prefix))

        return cls(starting("general:"), starting("changchun:"), tuple(starting("lottery:")))


@dataclass(frozen=True)
class Batch:
    """One bulk-rostering call: an institution's admin enrolls some of its students."""

    institution: str
    offering: str
    students: tuple[str, ...]


def _chunks(institution: str, offering: str, ids: list[str]) -> list[Batch]:
    return [Batch(institution, offering, tuple(ids[i:i + BATCH]))
            for i in range(0, len(ids), BATCH)]


def roster_plan(general: list[str], changchun: list[str], lottery: tuple[str, ...],
                copy: int = 1) -> list[Batch]:
    """Every bulk call: each student joins one course; some also apply to a lottery cohort.

    `general` and `changchun` are offering keys open to partners and members, and to members
    only; `lottery` the keys of the lottery cohorts, in order; `copy` which copy's students.
    """
    senders = [i for i in alliance.institutions(copy) if i["sends_students"]]
    counts = alliance.student_counts(senders)
    batches: list[Batch] = []
    for index, institution in enumerate(senders):
        ids = alliance.students(institution, counts[institution["name"]])
        if institution["city"] == "Changchun":
            batches += _chunks(institution["name"], "surgery", ids[:SURGERY_COHORT])
            ids = ids[SURGERY_COHORT:]
        member = alliance.ALLIANCE in institution["alliances"]
        open_to = general + changchun if member else general
        start = (index * 5) % len(open_to)
        chosen = [open_to[(start + k) % len(open_to)] for k in range(COURSES_PER_INSTITUTION)]
        for slot, offering in enumerate(chosen):
            batches += _chunks(institution["name"], offering,
                               ids[slot::COURSES_PER_INSTITUTION])
        if index < LOTTERY_INSTITUTIONS:
            for cohort, offering in enumerate(lottery):
                first = -(cohort + 1) * LOTTERY_APPLICANTS_PER_INSTITUTION
                applicants = ids[first:][:LOTTERY_APPLICANTS_PER_INSTITUTION]
                batches += _chunks(institution["name"], offering, applicants)
    return batches
