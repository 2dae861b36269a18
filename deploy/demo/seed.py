"""Load Meridian's demo data through the public API of a running stack (idempotent)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

import requests
from catalog_data import ALLIANCE, CHANGCHUN_COURSES, INSTITUTIONS, faculty, other_courses


class Api:
    """A minimal client of the gateway that fails loudly."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()

    def login(self, sub: str, roles: list[str], institution_id: str | None = None) -> None:
        """Use a dev token for the following calls."""
        body = {"sub": sub, "roles": roles}
        if institution_id:
            body["institution_id"] = institution_id
        token = self.call("POST", "/api/v1/auth/dev-token", body)["access_token"]
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: dict | None = None, **params) -> dict:
        """Send one request and return its JSON body."""
        response = self.session.request(method, self.base + path, json=body, params=params,
                                        timeout=30)
        if response.status_code >= 400:
            raise SystemExit(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json()


def _window(days_open: int) -> dict:
    now = datetime.now(UTC).replace(microsecond=0)
    return {"enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=days_open)).isoformat()}


def _offering(api: Api, course_id: str, **fields) -> dict:
    start = datetime.now(UTC).date() + timedelta(days=45)
    body = {"term": "2027-spring", "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=20)).isoformat(), "timezone": "Europe/London",
            "capacity": 40, "eligibility": {"institutions": [], "alliances": [ALLIANCE],
                                            "countries": []},
            "selection": "first_come", "waitlist": True, **_window(30), **fields}
    return api.call("POST", f"/api/v1/courses/{course_id}/offerings", body)


def _course(api: Api, provider: str, code: str, title: str, discipline: str, level: str,
            team: list[dict]) -> dict:
    course = api.call("POST", "/api/v1/courses", {
        "code": code, "title": title, "provider_institution_id": provider,
        "summary": f"{title}: an English-taught course open to every member of the alliance.",
        "languages": ["en"], "discipline": discipline, "level": level, "credits": 5,
        "tags": [discipline], "faculty": team})
    return api.call("POST", f"/api/v1/courses/{course['id']}/publish")


def seed(api: Api) -> None:
    """Create the alliance, its courses and offerings."""
    api.login("demo-admin", ["admin"])
    if api.call("GET", "/api/v1/institutions", alliance=ALLIANCE)["total"]:
        print("demo data already loaded")
        return
    members = {i["name"]: api.call("POST", "/api/v1/institutions", i)["id"]
               for i in INSTITUTIONS}
    changchun = members["Changchun School of Medicine"]
    oxford = members["Oxford School of Medicine"]
    for code, title, discipline in CHANGCHUN_COURSES:
        course = _course(api, changchun, code, title, discipline, "undergraduate",
                         faculty(f"ccm-{code.lower()}", 8 if code.endswith("0") else 7))
        _offering(api, course["id"], timezone="Asia/Shanghai")
    surgery = _course(api, oxford, "SURG300", "Three-Week Online Surgical Skills Course",
                      "surgery", "postgraduate", faculty("oxf-surg", 9))
    _offering(api, surgery["id"], capacity=27, term="2027-surgery-cohort",
              eligibility={"institutions": [changchun], "alliances": [], "countries": []})
    providers = sorted(members.values())
    for index, (code, title, discipline, level) in enumerate(other_courses(93 - 6)):
        provider = providers[index % len(providers)]
        course = _course(api, provider, code, title, discipline, level,
                         faculty(f"gma-{code.lower()}", 7))
        if index % 3 == 0:
            _offering(api, course["id"])
    hospital = members["Kampala School of Medicine"]
    programme = _course(api, hospital, "HTP200", "Hospital Training Programme", "clinical training",
                        "professional", faculty("kla-htp", 7))
    for month in (1, 3):
        start = datetime.now(UTC).date() + timedelta(days=30 * month + 30)
        _offering(api, programme["id"], capacity=12, selection="lottery", timezone="Africa/Kampala",
                  term=f"cohort-{start:%Y-%m}", starts_on=start.isoformat(),
                  ends_on=(start + timedelta(days=60)).isoformat(), **_window(20 * month))
    print(f"demo data loaded: {len(members)} institutions, 93 courses")


def main() -> int:
    """Entry point: `python deploy/demo/seed.py --gateway URL`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", required=True)
    seed(Api(parser.parse_args().gateway))
    return 0


if __name__ == "__main__":
    sys.exit(main())
