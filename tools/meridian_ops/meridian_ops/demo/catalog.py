"""Load the demo catalog through the gateway: institutions, courses, offerings (idempotent).

Everything is looked up first (institutions by name, courses by code, offerings by term) and
only what is missing is created, so a second run, or a run after a partial one, converges.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from . import alliance, courses
from .client import Gateway


def ensure_institutions(api: Gateway, token: str, pool: ThreadPoolExecutor) -> dict[str, dict]:
    """Every demo institution by name, created where missing (with the data's extra fields)."""
    known = {i["name"]: i for slug in (alliance.ALLIANCE, alliance.PARTNERS)
             for i in api.pages("/api/v1/institutions", token=token, alliance=slug)}
    wanted = alliance.institutions()
    missing = [i for i in wanted if i["name"] not in known]

    def create(inst: dict) -> dict:
        body = {k: inst[k] for k in ("name", "country", "timezone", "alliances")}
        return api.call("POST", "/api/v1/institutions", body, token=token, once=True)

    known.update({i["name"]: i for i in pool.map(create, missing)})
    return {i["name"]: {**known[i["name"]], **i} for i in wanted}


def _course_specs(institutions: dict[str, dict]) -> list[dict]:
    def spec(provider: str, code: str, title: str, discipline: str, level: str, size: int):
        inst = members[provider]
        return {"code": code, "title": title, "provider_institution_id": inst["id"],
                "summary": f"{title}: an English-taught course open across the alliance.",
                "languages": ["en"], "discipline": discipline, "level": level, "credits": 5,
                "tags": [discipline], "faculty": courses.faculty(
                    courses.team_prefix(code, inst["city"]), size)}

    members = {name: i for name, i in institutions.items() if alliance.ALLIANCE in i["alliances"]}
    providers = sorted(members)
    specs = [spec("Changchun School of Medicine", code, title, discipline, "undergraduate", size)
             for code, title, discipline, size in courses.CHANGCHUN_COURSES]
    specs.append(spec("Oxford School of Medicine", *courses.SURGERY, 9))
    specs.append(spec("Kampala School of Medicine", *courses.HOSPITAL, 7))
    specs += [spec(providers[i % len(providers)], c["code"], c["title"], c["discipline"],
                   c["level"], c["faculty_size"])
              for i, c in enumerate(courses.general_courses())]
    return specs


def ensure_courses(api: Gateway, token: str, pool: ThreadPoolExecutor,
                   institutions: dict[str, dict]) -> dict[str, dict]:
    """Every demo course, published (created or published only where missing)."""
    specs = _course_specs(institutions)
    providers = {s["provider_institution_id"] for s in specs}
    known = {c["code"]: c for status in ("draft", "published", "archived")
             for c in api.pages("/api/v1/courses", token=token, status=status)
             if c["provider_institution_id"] in providers}

    def ensure(spec: dict) -> dict:
        course = known.get(spec["code"]) or api.call("POST", "/api/v1/courses", spec,
                                                     token=token, once=True)
        # An archived course stays archived (someone retired it): it runs no offering.
        if course["status"] == "draft":
            course = api.call("POST", f"/api/v1/courses/{course['id']}/publish", token=token)
        return course

    return {c["code"]: c for c in pool.map(ensure, specs)}
