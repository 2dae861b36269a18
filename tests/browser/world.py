"""Data for the browser tests, made through the gateway's API as real clients would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests

from tests.conftest import Client
from tests.support import make_token, retrying, unique, wait_for

EVENTUAL = 90
OXFORD, CHANGCHUN = "Europe/London", "Asia/Shanghai"


def _busy(status: int) -> bool:
    return status in (429, 503, 504)


def create(client: Client, path: str, body: dict) -> dict:
    """POST with one Idempotency-Key, retried while the stack is busy; the 201 body."""
    key = uuid.uuid4().hex
    response = retrying(lambda: client.post(path, json=body, headers={"Idempotency-Key": key}),
                        lambda r: not _busy(r.status_code), EVENTUAL)
    assert response.status_code in (200, 201), response.text
    return response.json()


class World:
    """Two institutions, a published course taught from Oxford, and helpers to add more."""

    def __init__(self, gateway_url: str):
        self.http = requests.Session()
        self.base = gateway_url
        self.tag = unique("")
        self.admin = self.client("platform-admin", ["admin"])
        self.oxford = create(self.admin, "/api/v1/institutions", {
            "name": f"Oxford {self.tag}", "country": "GB", "timezone": OXFORD, "alliances": []})
        self.changchun = create(self.admin, "/api/v1/institutions", {
            "name": f"Changchun {self.tag}", "country": "CN", "timezone": CHANGCHUN,
            "alliances": ["med-" + self.tag]})
        self.lead = f"lead-{self.tag}"
        self.ta = f"ta-{self.tag}"
        self.course = self.published_course(self.lead, self.ta)

    def published_course(self, lead: str, ta: str, label: str = "") -> dict:
        """A published Oxford course taught by `lead` and `ta`."""
        course = create(self.admin, "/api/v1/courses", {
            "code": f"SURG{label}-{self.tag}", "title": f"Surgical skills{label} {self.tag}",
            "summary": "Live from Oxford", "provider_institution_id": self.oxford["id"],
            "languages": ["en"], "discipline": "surgery", "level": "postgraduate",
            "credits": 5, "tags": [], "faculty": [{"user_id": lead, "role": "lead"},
                                                  {"user_id": ta, "role": "ta"}]})
        retrying(lambda: self.admin.post(f"/api/v1/courses/{course['id']}/publish"),
                 lambda r: not _busy(r.status_code), EVENTUAL)
        return course

    def client(self, sub: str, roles: list[str], institution_id: str | None = None,
               timezone: str | None = None) -> Client:
        """An API client with a dev token."""
        return Client(self.http, self.base, make_token(sub, roles, institution_id, timezone))

    def student(self, name: str) -> dict:
        """A Changchun student's identity (for the dev sign-in form and the API)."""
        sub = f"{name}-{self.tag}"
        return {"sub": sub, "roles": "student", "institution_id": self.changchun["id"],
                "timezone": CHANGCHUN, "locale": "en", "name": f"Student {name}",
                "email": f"{sub}@changchun.example",
                "api": self.client(sub, ["student"], self.changchun["id"], CHANGCHUN)}

    def lead_identity(self, lead: str | None = None) -> dict:
        """The course's lead instructor (or another course's `lead`), in London."""
        lead = lead or self.lead
        return {"sub": lead, "roles": "instructor", "institution_id": self.oxford["id"],
                "timezone": OXFORD, "locale": "en",
                "api": self.client(lead, ["instructor"], self.oxford["id"], OXFORD)}

    def offering(self, capacity: int = 20, selection: str = "first_come",
                 course: dict | None = None) -> dict:
        """An offering of the course (or `course`) open for enrollment now, once the
        enrollment service knows it."""
        now = datetime.now(UTC)
        course = course or self.course
        made = create(self.admin, f"/api/v1/courses/{course['id']}/offerings", {
            "term": f"2027-{unique('')}", "starts_on": "2027-03-15", "ends_on": "2027-04-16",
            "timezone": OXFORD, "capacity": capacity,
            "enrollment_opens_at": (now - timedelta(hours=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=60)).isoformat(),
            "eligibility": None, "selection": selection, "waitlist": True})
        roster = f"/api/v1/offerings/{made['id']}/roster"
        wait_for(lambda: self.admin.get(roster).status_code == 200, timeout=EVENTUAL,
                 message="the enrollment service to know the offering")
        lead = self.lead_identity(course["faculty"][0]["user_id"])["api"]
        wait_for(lambda: lead.get(f"/api/v1/offerings/{made['id']}/sessions").status_code == 200,
                 timeout=EVENTUAL, message="the classroom to know the offering's faculty")
        return made

    def enroll(self, student: dict, offering_id: str) -> dict:
        """Enroll through the API; the enrollment."""
        return create(student["api"], f"/api/v1/offerings/{offering_id}/enrollments", {})

    def on_classroom_roster(self, student: dict, offering_id: str) -> None:
        """Wait until the classroom lets the student see the offering's sessions."""
        path = f"/api/v1/offerings/{offering_id}/sessions"
        wait_for(lambda: student["api"].get(path).status_code == 200, timeout=EVENTUAL,
                 message="the classroom roster to hold the student")

    def session_soon(self, offering_id: str, minutes_from_now: int, title: str,
                     lead: str | None = None) -> dict:
        """A lecture starting in a few minutes (London wall clock), by the lead (or `lead`)."""
        lead = lead or self.lead
        start = (datetime.now(UTC) + timedelta(minutes=minutes_from_now)).astimezone(
            ZoneInfo(OXFORD)).replace(second=0, microsecond=0, tzinfo=None)
        path = f"/api/v1/offerings/{offering_id}/sessions"
        made = create(self.lead_identity(lead)["api"], path, {
            "kind": "lecture", "title": title, "start": start.isoformat(timespec="minutes"),
            "timezone": OXFORD, "duration_minutes": 60, "instructors": [lead],
            "repeat": None})
        return made["sessions"][0]
