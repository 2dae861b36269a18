"""Who takes part in an offering, grouped by the time zone they live in."""

from __future__ import annotations

from collections import Counter

from .cohorts import members_of
from .models import ClassroomInstitution, UserZone
from .readmodels import OfferingContext


def _user_zones(user_ids: list[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = UserZone._get_collection().find({"_id": {"$in": user_ids}}, {"timezone": 1})
    return {row["_id"]: row["timezone"] for row in rows}


def zone_groups(context: OfferingContext) -> tuple[dict[str, int], dict]:
    """zone → head count over confirmed students and faculty, and a breakdown for the answer.

    A person's zone is the one their own token last named, else their institution's, else
    the offering's (faculty tokens are the usual source for faculty).
    """
    offering = context.offering
    roster = members_of(offering.id)
    faculty = sorted(context.faculty)
    students = [row for row in roster if row["student_id"] not in context.faculty]
    institution_ids = sorted({row.get("institution_id") for row in students} - {None})
    institutions = {row["_id"]: row["timezone"] for row in ClassroomInstitution._get_collection()
                    .find({"_id": {"$in": institution_ids}}, {"timezone": 1})}
    own = _user_zones([row["student_id"] for row in students] + faculty)
    groups: Counter = Counter()
    sources: Counter = Counter()
    for row in students:
        zone = own.get(row["student_id"]) or institutions.get(row.get("institution_id"))
        sources["own" if row["student_id"] in own else "institution" if zone else "offering"] += 1
        groups[zone or offering.timezone] += 1
    for user_id in faculty:
        sources["own" if user_id in own else "offering"] += 1
        groups[own.get(user_id) or offering.timezone] += 1
    breakdown = {"total": len(students) + len(faculty), "students": len(students),
                 "faculty": len(faculty), "zone_sources": dict(sources),
                 "zones": [{"timezone": z, "count": n} for z, n in sorted(groups.items())]}
    return dict(groups), breakdown
