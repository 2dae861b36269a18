"""What the demo holds, read back through the API (not from the plan), for the closing report."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from . import alliance, courses
from .client import Gateway
from .rosters import roster

STATUSES = ("confirmed", "waitlisted", "applied")


def collect(api: Gateway, admin: str, pool: ThreadPoolExecutor, institutions: dict[str, dict],
            catalog_courses: dict[str, dict], offerings: dict[str, dict],
            sessions: dict[str, int], draw: dict) -> dict:
    """Figures about institutions, courses, students, enrollments, sessions and the lottery."""
    keys = sorted(offerings)
    rosters = dict(zip(keys, pool.map(lambda k: roster(api, admin, offerings[k]["id"]), keys),
                       strict=True))
    entries = [e for r in rosters.values() for status in STATUSES for e in r.get(status, [])]
    by_id = {i["id"]: i for i in institutions.values()}
    members = [i for i in institutions.values() if alliance.ALLIANCE in i["alliances"]]
    universities = {e["institution_id"] for e in entries}
    surgery_team = catalog_courses[courses.SURGERY[0]]["faculty"]
    return {
        "members": len(members), "member_countries": len({i["country"] for i in members}),
        "courses": len(catalog_courses), "offerings": len(offerings),
        "students": len({e["student_id"] for e in entries}),
        "universities": len(universities),
        "student_countries": len({by_id[u]["country"] for u in universities if u in by_id}),
        "enrollments": dict(Counter(e["status"] for e in entries)),
        "surgery_students": len(rosters["surgery"].get("confirmed", [])),
        "surgery_tas": sum(m["role"] == "ta" for m in surgery_team),
        "surgery_sessions": sessions["surgery"], "sessions": sum(sessions.values()),
        "changchun_faculty": sorted({len(catalog_courses[c]["faculty"])
                                     for c, *_ in courses.CHANGCHUN_COURSES}),
        "lottery_selected": len(draw.get("selected", [])),
        "lottery_applicants": len(draw.get("applicants", [])),
        "lottery_seed": draw.get("seed"),
    }


def report(figures: dict, seconds: float, gateway: str) -> str:
    """The closing lines `meridian demo seed` prints."""
    f, e = figures, figures["enrollments"]
    teams = "-".join(map(str, f["changchun_faculty"]))
    return "\n".join([
        f"demo data ready in {seconds:.0f} s",
        f"  alliance      {f['members']} member institutions in {f['member_countries']} countries",
        f"  catalog       {f['courses']} English-taught courses, {f['offerings']} offerings",
        f"  students      {f['students']} from {f['universities']} universities in "
        f"{f['student_countries']} countries",
        f"  enrollments   {e.get('confirmed', 0)} confirmed, {e.get('waitlisted', 0)} waitlisted, "
        f"{e.get('applied', 0)} lottery applications",
        f"  Changchun     5 new courses, faculty teams of {teams}",
        f"  Oxford        surgical course: {f['surgery_students']} Changchun students, "
        f"{f['surgery_tas']} teaching assistants, {f['surgery_sessions']} live sessions",
        f"  lottery       cohort 1 drawn with seed {f['lottery_seed']!r}: "
        f"{f['lottery_selected']} of {f['lottery_applicants']} selected; cohort 2 open",
        f"  sessions      {f['sessions']} scheduled",
        f"  explore       {gateway}/api/v1/courses?q=acupuncture",
    ])
