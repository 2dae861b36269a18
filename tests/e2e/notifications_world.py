"""A small course world through the gateway for the notification e2e tests: people with
addresses, names, languages and zones, an offering, and patient calls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests

from tests.conftest import Client
from tests.e2e.mailbox import Mailbox
from tests.support import make_token, retrying, unique

EVENTUAL = 180
BUSY = (429, 503, 504)


@dataclass
class Person:
    """Someone with a token carrying their address, name and locale, and their mailbox."""

    sub: str
    client: Client
    mailbox: Mailbox


def settled(response) -> bool:
    return response.status_code not in BUSY


def call(client: Client, method: str, path: str, ok: tuple[int, ...], **kwargs):
    """A call retried while the stack is busy or a read model has not caught up yet."""
    key = uuid.uuid4().hex
    headers = {"Idempotency-Key": key} if method == "POST" else {}
    answer = retrying(lambda: client.request(method, path, headers=headers, **kwargs),
                      lambda r: r.status_code in ok, EVENTUAL,
                      pause=lambda r: float(r.headers.get("Retry-After", "1")))
    assert answer.status_code in ok, (path, answer.status_code, answer.text)
    return answer.json() if answer.content else {}


def person(http: requests.Session, gateway: str, label: str, roles: list[str], locale: str,
           zone: str, institution_id: str | None = None) -> Person:
    """A user whose token the notifications service has seen (so it knows the address)."""
    sub = f"{label}-{unique('')}"
    address = f"{sub}@mail.meridian.test"
    token = make_token(sub, roles, institution_id, zone, email=address,
                       name=label.replace("-", " ").title(), locale=locale)
    client = Client(http, gateway, token)
    call(client, "GET", "/api/v1/me/notification-preferences", (200,))
    return Person(sub, client, Mailbox(address))


def course_and_offering(admin: Client, lead: str, **offering) -> tuple[dict, dict]:
    """A published course led by `lead` and one open offering of it."""
    tag = unique("")
    institution = call(admin, "POST", "/api/v1/institutions", (201,), json={
        "name": f"Oxford {tag}", "country": "GB", "timezone": "Europe/London",
        "alliances": []})
    course = call(admin, "POST", "/api/v1/courses", (201,), json={
        "code": f"SURG-{tag}", "title": "Surgical skills", "summary": "Live from Oxford",
        "provider_institution_id": institution["id"], "languages": ["en"],
        "discipline": "medicine", "level": "postgraduate", "credits": 5, "tags": [],
        "faculty": [{"user_id": lead, "role": "lead"}]})
    call(admin, "POST", f"/api/v1/courses/{course['id']}/publish", (200,))
    now = datetime.now(UTC)
    body = {"term": "2027", "starts_on": (now + timedelta(days=30)).date().isoformat(),
            "ends_on": (now + timedelta(days=60)).date().isoformat(),
            "timezone": "Europe/London", "capacity": 2,
            "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=20)).isoformat(),
            "eligibility": None, "selection": "first_come", "waitlist": True, **offering}
    created = call(admin, "POST", f"/api/v1/courses/{course['id']}/offerings", (201,),
                   json=body)
    return course, created


def enroll(student: Person, offering_id: str) -> dict:
    """Enroll (retried until the enrollment service knows the offering)."""
    return call(student.client, "POST", f"/api/v1/offerings/{offering_id}/enrollments",
                (201,), json={})
