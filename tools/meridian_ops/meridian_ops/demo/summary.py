"""What the demo holds, for the closing report: the plan's people, the catalog's seat counts.

Seat counts are read back from the catalog, which learns them from enrollment events: seeing
them add up proves that events flowed from the enrollment service to the catalog.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from . import alliance, courses
from .client import Gateway
from .plan import Batch


def _people(institutions: dict[str, dict], batches: list[Batch]) -> dict:
    students = {s: b.institution for b in batches for s in b.students}
    universities = set(students.values())
    members = [i for i in institutions.values() if alliance.ALLIANCE in i["alliances"]]
    return {"members": len(members), "member_countries": len({i["country"] for i in members}),
            "students": len(students), "universities": len(universities),
            "student_countries": len({institutions[u]["country"] for u in universities})}


def seat_counts(api: Gateway, pool: ThreadPoolExecutor, offerings: dict[str, dict],
                expected: int, timeout: float = 0.0) -> dict[str, dict]:
    """The catalog's view of each offering, once confirmed + waitlisted reach `expected`."""
    deadline = time.monotonic() + timeout
    while True:
        views = dict(pool.map(lambda k: (k, api.call("GET", f"/api/v1/offerings/"
                                                     f"{offerings[k]['id']}")), offerings))
        counted = sum(v["seats_taken"] + v["waitlist_length"] for v in views.values()
                      if v["selection"] == "first_come")
        if counted >= expected or time.monotonic() > deadline:
            return views
        time.sleep(1)


def collect(api: Gateway, pool: ThreadPoolExecutor, institutions: dict[str, dict],
            catalog_courses: dict[str, dict], offerings: dict[str, dict],
            batches: list[Batch], sessions: dict[str, int], draw: dict) -> dict:
    """Figures about institutions, courses, students, seats, sessions and the lottery."""
    first_come = {s for b in batches if not b.offering.startswith("lottery:") for s in b.students}
    views = seat_counts(api, pool, offerings, len(first_come))
    surgery_team = catalog_courses[courses.SURGERY[0]]["faculty"]
    return {
        **_people(institutions, batches),
        "courses": len(catalog_courses), "offerings": len(offerings),
        "confirmed": sum(v["seats_taken"] for k, v in views.items()
                         if not k.startswith("lottery:")),
        "waitlisted": sum(v["waitlist_length"] for k, v in views.items()
                          if not k.startswith("lottery:")),
        "expected_first_come": len(first_come),
        "lottery_applications": sum(len(b.students) for b in batches
                                    if b.offering.startswith("lottery:")),
        "surgery_students": sum(len(b.students) for b in batches if b.offering == "surgery"),
        "surgery_tas": sum(m["role"] == "ta" for m in surgery_team),
        "surgery_sessions": sessions["surgery"], "sessions": sum(sessions.values()),
        "changchun_faculty": sorted({len(catalog_courses[c]["faculty"])
                                     for c, *_ in courses.CHANGCHUN_COURSES}),
        "lottery_selected": len(draw.get("selected", [])),
        "lottery_applicants": len(draw.get("applicants", [])),
        "lottery_seed": draw.get("seed"),
    }


TOTALLED = ("members", "students", "courses", "offerings", "expected_first_come",
            "lottery_applications", "confirmed", "waitlisted", "sessions")


def totals(copies: list[dict]) -> dict[str, int]:
    """The figures that add up over copies of the alliance, summed."""
    return {name: sum(f[name] for f in copies) for name in TOTALLED}


def report(figures: dict, seconds: float, gateway: str) -> str:
    """The closing lines `meridian demo seed` prints."""
    f = figures
    teams = "-".join(map(str, f["changchun_faculty"]))
    seated = f["confirmed"] + f["waitlisted"]
    lines = [
        f"demo data ready in {seconds:.0f} s",
        f"  alliance      {f['members']} member institutions in {f['member_countries']} countries",
        f"  catalog       {f['courses']} English-taught courses, {f['offerings']} offerings",
        f"  students      {f['students']} from {f['universities']} universities in "
        f"{f['student_countries']} countries",
        f"  enrollments   {f['expected_first_come']} in courses, "
        f"{f['lottery_applications']} lottery applications; this run: "
        + ", ".join(f"{k} {v}" for k, v in sorted(f.get("this_run", {}).items())),
        f"  seat counts   the catalog shows {f['confirmed']} confirmed and {f['waitlisted']} "
        "waitlisted (learnt from enrollment events)",
        f"  Changchun     5 new courses, faculty teams of {teams}",
        f"  Oxford        surgical course: {f['surgery_students']} Changchun students enrolled, "
        f"{f['surgery_tas']} teaching assistants, {f['surgery_sessions']} live sessions",
        f"  lottery       cohort 1 drawn with seed {f['lottery_seed']!r}: "
        f"{f['lottery_selected']} of {f['lottery_applicants']} selected; cohort 2 open",
        f"  sessions      {f['sessions']} scheduled",
        f"  explore       {gateway}/api/v1/courses?q=acupuncture",
    ]
    if f.get("scale", 1) > 1:
        t = f["totals"]
        lines[1:1] = [f"  (copy 1 of {f['scale']} below) all copies: {t['members']} members, "
                      f"{t['courses']} courses, {t['offerings']} offerings, {t['students']} "
                      f"students, {t['expected_first_come']} enrollments in courses, "
                      f"{t['lottery_applications']} lottery applications, {t['sessions']} "
                      f"sessions; the catalog shows {t['confirmed']} confirmed and "
                      f"{t['waitlisted']} waitlisted"]
    if seated < f["expected_first_come"]:
        lines.append(f"  (the catalog has counted {seated} of {f['expected_first_come']} so far; "
                     "the rest follow as events arrive)")
    return "\n".join(lines)
