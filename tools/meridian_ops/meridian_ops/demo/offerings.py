"""The demo's offerings: which course runs when, for whom, and how places are given."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from . import alliance, courses
from .client import Gateway

EVERYONE = {"institutions": [], "alliances": [alliance.ALLIANCE, alliance.PARTNERS],
            "countries": []}
MEMBERS = {"institutions": [], "alliances": [alliance.ALLIANCE], "countries": []}


def window(closes_in_days: int) -> dict:
    """An enrollment window that opened yesterday and closes in `closes_in_days`."""
    now = datetime.now(UTC).replace(microsecond=0)
    return {"enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=closes_in_days)).isoformat()}


def dates(starts_in_days: int, length_days: int) -> dict:
    """starts_on/ends_on relative to today."""
    start = date.today() + timedelta(days=starts_in_days)
    return {"starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=length_days)).isoformat()}


def next_monday(after_days: int) -> date:
    """The first Monday at least `after_days` from today (the surgical course starts then)."""
    day = date.today() + timedelta(days=after_days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def offering_specs(catalog_courses: dict[str, dict], changchun_id: str) -> dict[str, tuple]:
    """Plan key → (course id, offering body) for every offering the demo needs."""
    retired = sorted(code for code, c in catalog_courses.items() if c["status"] == "archived")
    needed = [c for c, *_ in courses.CHANGCHUN_COURSES] + [courses.SURGERY[0], courses.HOSPITAL[0]]
    if set(retired) & set(needed):
        raise ValueError(f"the demo needs courses that were archived: {retired}")
    specs: dict[str, tuple] = {}
    for course in courses.general_courses():
        if course["offered"] and course["code"] not in retired:
            specs[f"general:{course['code']}"] = (catalog_courses[course["code"]]["id"], {
                "term": courses.TERM, "timezone": "Europe/London",
                "capacity": course["capacity"], "eligibility": EVERYONE,
                **dates(45, 84), **window(30)})
    for code, *_ in courses.CHANGCHUN_COURSES:
        specs[f"changchun:{code}"] = (catalog_courses[code]["id"], {
            "term": courses.TERM, "timezone": "Asia/Shanghai", "capacity": 60,
            "eligibility": MEMBERS, **dates(45, 84), **window(30)})
    start = next_monday(21)
    specs["surgery"] = (catalog_courses[courses.SURGERY[0]]["id"], {
        "term": courses.SURGERY_TERM, "timezone": "Europe/London", "capacity": 27,
        "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=18)).isoformat(),
        "eligibility": {"institutions": [changchun_id], "alliances": [], "countries": []},
        **window(14)})
    for number, term in enumerate(courses.LOTTERY_TERMS):
        specs[f"lottery:{term}"] = (catalog_courses[courses.HOSPITAL[0]]["id"], {
            "term": term, "timezone": "Africa/Kampala", "capacity": 12, "selection": "lottery",
            "eligibility": EVERYONE, **dates(30 + 62 * number, 60),
            **window(14 + 46 * number)})
    return specs


def ensure_offerings(api: Gateway, token: str, pool: ThreadPoolExecutor,
                     catalog_courses: dict[str, dict], changchun_id: str
                     ) -> tuple[dict[str, dict], set[str]]:
    """Create the offerings that do not exist yet (matched by course and term).

    Returns every offering by plan key, and the keys of those created by this run.
    """
    specs = offering_specs(catalog_courses, changchun_id)

    def ensure(item: tuple[str, tuple]) -> tuple[str, dict, bool]:
        key, (course_id, body) = item
        existing = api.pages(f"/api/v1/courses/{course_id}/offerings", token=token)
        found = next((o for o in existing if o["term"] == body["term"]), None)
        if found is None:
            return key, api.call("POST", f"/api/v1/courses/{course_id}/offerings", body,
                                 token=token, once=True), True
        return key, _converge(api, token, found, body), False

    results = list(pool.map(ensure, specs.items()))
    return {key: offering for key, offering, _ in results}, {k for k, _, new in results if new}


def _same_eligibility(found: dict | None, wanted: dict) -> bool:
    found = found or {}
    return all(sorted(found.get(k) or []) == sorted(wanted.get(k) or []) for k in wanted)


def _converge(api: Gateway, token: str, found: dict, body: dict) -> dict:
    """Bring an offering left by an older demo version in line: who may join, and room."""
    change = {}
    if not _same_eligibility(found.get("eligibility"), body["eligibility"]):
        change["eligibility"] = body["eligibility"]
    if found["capacity"] < body["capacity"]:
        change["capacity"] = body["capacity"]
    closes = datetime.fromisoformat(found["enrollment_closes_at"].replace("Z", "+00:00"))
    if found["selection"] == "first_come" and closes <= datetime.now(UTC):
        change["enrollment_closes_at"] = body["enrollment_closes_at"]
    if not change or found["status"] != "open":
        return found
    return api.call("PATCH", f"/api/v1/offerings/{found['id']}", change, token=token)
