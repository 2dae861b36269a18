"""Fair-hours slot suggestions: who takes part, grouped by the zone they live in, ranked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from ..domain import rotation
from ..domain.access import Caller
from ..domain.slots import Candidate, SlotQuery, rank
from . import access
from .classroom import Classroom
from .ports import OfferingView


@dataclass(frozen=True)
class Suggestions:
    """Ranked candidates, the rotation for a series, and whose zone came from where."""

    anchor: str
    days: int
    candidates: list[Candidate]
    rotation: rotation.Rotation | None
    participants: dict


def zone_groups(app: Classroom, view: OfferingView) -> tuple[dict[str, int], dict]:
    """zone → head count over confirmed students and faculty, and a breakdown for the answer.

    A person's zone is the one their own token last named, else their institution's, else
    the offering's (faculty tokens are the usual source for faculty).
    """
    faculty = sorted(view.faculty)
    students = [m for m in app.rosters.members(view.id) if m.student_id not in view.faculty]
    institutions = app.catalog.institution_zones(
        sorted({m.institution_id for m in students} - {None}))
    own = app.zones.zones([m.student_id for m in students] + faculty)
    groups: Counter = Counter()
    sources: Counter = Counter()
    for member in students:
        zone = own.get(member.student_id) or institutions.get(member.institution_id)
        sources["own" if member.student_id in own else
                "institution" if zone else "offering"] += 1
        groups[zone or view.timezone] += 1
    for user_id in faculty:
        sources["own" if user_id in own else "offering"] += 1
        groups[own.get(user_id) or view.timezone] += 1
    breakdown = {"total": len(students) + len(faculty), "students": len(students),
                 "faculty": len(faculty), "zone_sources": dict(sources),
                 "zones": [{"timezone": z, "count": n} for z, n in sorted(groups.items())]}
    return dict(groups), breakdown


def suggest(app: Classroom, caller: Caller, offering_id: str, data: dict) -> Suggestions:
    """Daily start times ranked by how many people are inside their own hours every day."""
    view = access.offering(app, offering_id)
    access.require_manage(view, caller)
    anchor = data.get("timezone") or view.timezone
    span = (data["to"] - data["from_"]).days + 1
    days = tuple(data["from_"] + timedelta(days=i) for i in range(span))
    groups, breakdown = zone_groups(app, view)
    ranked = rank(SlotQuery(anchor_zone=anchor, days=days,
                            duration_minutes=data["duration_minutes"],
                            earliest=data["earliest_local"], latest=data["latest_local"],
                            step_minutes=data["step_minutes"]), groups)
    return Suggestions(anchor=anchor, days=span, candidates=ranked[:data["limit"]],
                       rotation=rotation.plan(ranked, data["occurrences"], span),
                       participants=breakdown)
