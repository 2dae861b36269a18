"""Look-ups the teaching and admin pages share: the user's offerings, cohort zones."""

from __future__ import annotations

from collections import Counter

from .identity import User, api, api_many

MAX_COURSE_PAGES = 5
# The cohort's zones need its students' institutions only: read those by id.
MAX_COHORT_INSTITUTIONS = 50


def _courses(params: dict) -> list[dict]:
    courses, page = [], 1
    while page <= MAX_COURSE_PAGES:
        answer = api("GET", "/api/v1/courses", params={**params, "per_page": 100, "page": page})
        batch = answer.body.get("items", []) if answer.ok else []
        courses += batch
        if len(batch) < 100:
            break
        page += 1
    return courses


def my_courses(user: User, include_drafts: bool = False) -> list[dict]:
    """Courses the user teaches, or (admins) runs: faculty, provider institution, or all."""
    found = {c["id"]: c for c in _courses({})}
    if include_drafts and user.is_admin:
        found.update({c["id"]: c for c in _courses({"status": "draft"})})
    def mine(course: dict) -> bool:
        if "admin" in user.roles:
            return True
        if "institution_admin" in user.roles and \
                course.get("provider_institution_id") == user.institution_id:
            return True
        return any(f.get("user_id") == user.sub and f.get("status", "active") != "invited"
                   for f in course.get("faculty", []))
    return sorted((c for c in found.values() if mine(c)), key=lambda c: c.get("code", ""))


def offerings_of(course_id: str) -> list[dict]:
    """Every offering of a course."""
    answer = api("GET", f"/api/v1/courses/{course_id}/offerings", params={"per_page": 100})
    return answer.body.get("items", []) if answer.ok else []


def institutions_by_id() -> dict[str, dict]:
    """Every institution (the catalog has a few dozen), by id."""
    found, page = {}, 1
    while page <= MAX_COURSE_PAGES:
        answer = api("GET", "/api/v1/institutions", params={"per_page": 100, "page": page})
        batch = answer.body.get("items", []) if answer.ok else []
        found.update({i["id"]: i for i in batch})
        if len(batch) < 100:
            break
        page += 1
    return found


def _roster_entries(roster: dict) -> list[dict]:
    return roster.get("confirmed", []) + roster.get("waitlisted", [])


def roster_institutions(roster: dict) -> dict[str, dict]:
    """The institutions of the roster's students, by id (each read by id, at once: listing
    every institution to find a cohort's few costs the catalog a sort of all of them)."""
    counts = Counter(e.get("institution_id") for e in _roster_entries(roster)
                     if e.get("institution_id"))
    wanted = [i for i, _n in counts.most_common(MAX_COHORT_INSTITUTIONS)]
    answers = api_many([f"/api/v1/institutions/{i}" for i in wanted])
    return {i: a.body for i, a in zip(wanted, answers, strict=True)
            if a.ok and isinstance(a.body, dict)}


def cohort_zones(roster: dict, institutions: dict[str, dict], limit: int = 3) -> list[str]:
    """The cohort's main zones: its students' institutions' zones, most students first."""
    counts: Counter[str] = Counter()
    for entry in _roster_entries(roster):
        zone = institutions.get(entry.get("institution_id") or "", {}).get("timezone")
        if zone:
            counts[zone] += 1
    return [zone for zone, _n in counts.most_common(limit)]
