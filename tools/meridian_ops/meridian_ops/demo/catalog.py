"""Load the demo catalog through the gateway: institutions, courses, offerings (idempotent).

Everything is looked up first (institutions by name, courses by code, offerings by term) and
only what is missing is created, so a second run, or a run after a partial one, converges.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from . import alliance, courses
from .client import ApiError, Gateway


def ensure_institutions(api: Gateway, token: str, pool: ThreadPoolExecutor, copy: int = 1
                        ) -> dict[str, dict]:
    """Every institution of one copy by name, created where missing (with the extra fields)."""
    known = {i["name"]: i for slug in (alliance.ALLIANCE, alliance.PARTNERS)
             for i in api.pages("/api/v1/institutions", token=token, alliance=slug)}
    wanted = alliance.institutions(copy)
    missing = [i for i in wanted if i["name"] not in known]

    def create(inst: dict) -> dict:
        body = {k: inst[k] for k in ("name", "country", "timezone", "alliances")}
        return api.call("POST", "/api/v1/institutions", body, token=token, once=True)

    known.update({i["name"]: i for i in pool.map(create, missing)})
    return {i["name"]: {**known[i["name"]], **i} for i in wanted}


def _course_specs(institutions: dict[str, dict], copy: int) -> list[dict]:
    def spec(provider: str, code: str, title: str, discipline: str, level: str, size: int):
        inst = members[provider]
        return {"code": code, "title": title, "provider_institution_id": inst["id"],
                "summary": f"{title}: an English-taught course open across the alliance.",
                "languages": ["en"], "discipline": discipline, "level": level, "credits": 5,
                "tags": [discipline], "faculty": courses.faculty(
                    courses.team_prefix(code, inst["tag"]), size)}

    members = {name: i for name, i in institutions.items() if alliance.ALLIANCE in i["alliances"]}
    providers = sorted(members)
    changchun, oxford, kampala = (alliance.named(f"{city} School of Medicine", copy)
                                  for city in ("Changchun", "Oxford", "Kampala"))
    specs = [spec(changchun, code, title, discipline, "undergraduate", size)
             for code, title, discipline, size in courses.CHANGCHUN_COURSES]
    specs.append(spec(oxford, *courses.SURGERY, 9))
    specs.append(spec(kampala, *courses.HOSPITAL, 7))
    specs += [spec(providers[i % len(providers)], c["code"], c["title"], c["discipline"],
                   c["level"], c["faculty_size"])
              for i, c in enumerate(courses.general_courses())]
    return specs


def _publish(api: Gateway, token: str, course_id: str) -> dict:
    """Publish a draft course; a retry after a lost answer finds it published, and that is fine."""
    try:
        return api.call("POST", f"/api/v1/courses/{course_id}/publish", token=token)
    except ApiError as exc:
        if exc.status != 409:
            raise
        course = api.call("GET", f"/api/v1/courses/{course_id}", token=token)
        if course["status"] != "published":
            raise
        return course


def ensure_courses(api: Gateway, token: str, pool: ThreadPoolExecutor,
                   institutions: dict[str, dict], copy: int = 1) -> dict[str, dict]:
    """Every course of one copy by code, published (created or published only where missing)."""
    specs = _course_specs(institutions, copy)
    providers = {s["provider_institution_id"] for s in specs}
    known = {c["code"]: c for status in ("draft", "published", "archived")
             for c in api.pages("/api/v1/courses", token=token, status=status)
             if c["provider_institution_id"] in providers}

    def ensure(spec: dict) -> dict:
        course = known.get(spec["code"]) or api.call("POST", "/api/v1/courses", spec,
                                                     token=token, once=True)
        # An archived course stays archived (someone retired it): it runs no offering.
        if course["status"] == "draft":
            course = _publish(api, token, course["id"])
        return course

    return {c["code"]: c for c in pool.map(ensure, specs)}
