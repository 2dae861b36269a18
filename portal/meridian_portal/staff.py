"""Look-ups the teaching and admin pages share: the user's offerings, cohort zones."""

from __future__ import annotations

from collections import Counter

from .identity import User, api

MAX_COURSE_PAGES = 5


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


def cohort_zones(roster: dict, institutions: dict[str, dict], limit: int = 3) -> list[str]:
    """The cohort's main zones: its students' institutions' zones, most students first."""
    counts: Counter[str] = Counter()
    for entry in roster.get("confirmed", []) + roster.get("waitlisted", []):
        zone = institutions.get(entry.get("institution_id") or "", {}).get("timezone")
        if zone:
            counts[zone] += 1
    return [zone for zone, _n in counts.most_common(limit)]
