"""Helpers for enrollment tests against the running test stack (no tests in this module).

Offerings reach the enrollment service the real way: created through the catalog API, which
publishes `offering.opened`, which the enrollment worker consumes into its read model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests

from meridian_common.config import load_settings
from tests.support import make_token, unique, wait_for

ADMIN = "platform-admin"


def bearer(token: str) -> dict:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def iso(delta: timedelta) -> str:
    """An RFC 3339 timestamp `delta` away from now."""
    return (datetime.now(UTC) + delta).isoformat()


class Catalog:
    """Creates institutions, courses and offerings through the catalog API, as an admin."""

    def __init__(self, session: requests.Session, base: str):
        self.http, self.base = session, base
        self.admin = bearer(make_token(ADMIN, ["admin"]))

    def _call(self, method: str, path: str, expected: int | tuple, **kwargs) -> dict:
        # The catalog is only scaffolding here: a busy shared stack may answer 503/504, so
        # retry like a careful client, with an Idempotency-Key so nothing is created twice.
        headers = {**self.admin, "Idempotency-Key": unique("setup-")}
        answers: list = []

        def attempt():
            response = self.http.request(method, self.base + path, headers=headers,
                                         timeout=60, **kwargs)
            answers.append(response)
            busy = response.status_code in (502, 503, 504) or (
                response.status_code == 409
                and response.json().get("code") == "idempotency_in_progress")
            return not busy

        wait_for(attempt, timeout=180, interval=1.0, message=f"catalog {method} {path}")
        response = answers[-1]
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in allowed, (path, response.status_code, response.text)
        return response.json()

    def institution(self, country: str = "GB", alliances: Iterable[str] = ()) -> dict:
        """A new institution."""
        return self._call("POST", "/api/v1/institutions", 201, json={
            "name": unique("University "), "country": country, "timezone": "Europe/London",
            "alliances": list(alliances)})

    def course(self, provider_id: str, faculty: Iterable[dict] = ()) -> dict:
        """A new published course of `provider_id`."""
        course = self._call("POST", "/api/v1/courses", 201, json={
            "code": unique("SUR"), "title": "Surgical skills", "languages": ["en"],
            "provider_institution_id": provider_id, "faculty": list(faculty)})
        # 409 when a retried publish had in fact gone through the first time.
        self._call("POST", f"/api/v1/courses/{course['id']}/publish", (200, 409))
        published = self._call("GET", f"/api/v1/courses/{course['id']}", 200)
        assert published["status"] == "published"
        return published

    def offering(self, course_id: str, *, capacity: int = 5, opens: timedelta = timedelta(days=-1),
                 closes: timedelta = timedelta(days=10), **fields) -> dict:
        """A new offering whose enrollment window runs from now+opens to now+closes."""
        return self._call("POST", f"/api/v1/courses/{course_id}/offerings", 201, json={
            "term": "2027 spring", "starts_on": "2027-03-01", "ends_on": "2027-03-21",
            "timezone": "Europe/London", "capacity": capacity,
            "enrollment_opens_at": iso(opens), "enrollment_closes_at": iso(closes), **fields})

    def patch_offering(self, offering_id: str, expected: int = 200, **fields) -> dict:
        """Change an offering (capacity, window, eligibility)."""
        return self._call("PATCH", f"/api/v1/offerings/{offering_id}", expected, json=fields)

    def cancel_offering(self, offering_id: str) -> dict:
        """Cancel an offering."""
        return self._call("POST", f"/api/v1/offerings/{offering_id}/cancel", 200)

    def get_offering(self, offering_id: str) -> dict:
        """The catalog's view of an offering, with its seat figures."""
        return self._call("GET", f"/api/v1/offerings/{offering_id}", 200)


def enrollment_db(mongo_client):
    """The running enrollment service's database."""
    return mongo_client[load_settings("enrollment").mongo_db]


def wait_for_view(database, offering_id: str, timeout: float = 120.0,
                  check: Callable[[dict], bool] | None = None, **expected) -> dict:
    """Wait until the enrollment read model holds the offering with the `expected` fields
    (and passing `check`, if given)."""
    def ready():
        row = database["offering_views"].find_one({"_id": offering_id})
        if not row or not all(row.get(k) == v for k, v in expected.items()):
            return None
        return row if check is None or check(row) else None

    return wait_for(ready, timeout=timeout, interval=0.5,
                    message=f"read model of {offering_id} {expected}")


def wait_for_institution(database, institution_id: str, timeout: float = 120.0) -> dict:
    """Wait until the enrollment read model knows the institution."""
    return wait_for(lambda: database["institution_views"].find_one({"_id": institution_id}),
                    timeout=timeout, interval=0.5, message=f"read model of {institution_id}")


class Student:
    """A student with a token, optionally of an institution."""

    def __init__(self, institution_id: str | None = None, user_id: str | None = None):
        self.id = user_id or unique("stu-")
        self.headers = bearer(make_token(self.id, ["student"], institution_id))


def parallel(call: Callable, items: list, workers: int = 32) -> list:
    """`call(session, item)` for every item from `workers` threads, one session per thread."""
    local = threading.local()

    def run(item):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return call(local.session, item)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


class Enrollments:
    """Calls the enrollment endpoints on a base URL (the service, or the gateway)."""

    def __init__(self, session: requests.Session, base: str):
        self.http, self.base = session, base

    def enroll(self, offering_id: str, who, body: dict | None = None,
               session: requests.Session | None = None, **kwargs) -> requests.Response:
        """POST /offerings/{id}/enrollments as `who` (a Student or a headers dict)."""
        headers = dict(getattr(who, "headers", who))
        headers.update(kwargs.pop("headers", {}))
        return (session or self.http).post(
            f"{self.base}/api/v1/offerings/{offering_id}/enrollments", headers=headers,
            json={} if body is None else body, timeout=60, **kwargs)

    def get(self, path: str, who) -> requests.Response:
        """GET a path as `who`."""
        return self.http.get(self.base + path, headers=getattr(who, "headers", who), timeout=30)

    def withdraw(self, enrollment_id: str, who) -> requests.Response:
        """DELETE /enrollments/{id} as `who`."""
        return self.http.delete(f"{self.base}/api/v1/enrollments/{enrollment_id}",
                                headers=getattr(who, "headers", who), timeout=60)

    def roster(self, offering_id: str, who=None) -> dict:
        """The roster, as an admin unless someone else is given."""
        response = self.get(f"/api/v1/offerings/{offering_id}/roster",
                            who or bearer(make_token(ADMIN, ["admin"])))
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, path: str, who, body: dict) -> requests.Response:
        """POST a JSON body to a path as `who`."""
        return self.http.post(self.base + path, headers=getattr(who, "headers", who), json=body,
                              timeout=60)


@pytest.fixture(name="catalog")
def catalog_fixture(http, service_urls) -> Catalog:
    """The catalog API of the test stack, called directly."""
    return Catalog(http, service_urls["catalog"])


@pytest.fixture(name="enr")
def enr_fixture(http, service_urls) -> Enrollments:
    """The enrollment API of the test stack, called directly."""
    return Enrollments(http, service_urls["enrollment"])


@pytest.fixture(name="edb")
def edb_fixture(mongo_client):
    """The enrollment service's database."""
    return enrollment_db(mongo_client)


@pytest.fixture(name="course")
def course_fixture(catalog) -> dict:
    """A published course of a fresh provider institution."""
    provider = catalog.institution()
    return catalog.course(provider["id"])


@pytest.fixture(name="gw_catalog")
def gw_catalog_fixture(http, gateway_url) -> Catalog:
    """The catalog API, through the gateway."""
    return Catalog(http, gateway_url)


@pytest.fixture(name="gw")
def gw_fixture(http, gateway_url) -> Enrollments:
    """The enrollment API, through the gateway."""
    return Enrollments(http, gateway_url)


@pytest.fixture(name="faculty_course")
def faculty_course_fixture(gw_catalog) -> dict:
    """A published course (through the gateway) taught by `prof-<id>` and `ta-<id>`."""
    provider = gw_catalog.institution()
    lead, ta = unique("prof-"), unique("ta-")
    course = gw_catalog.course(provider["id"], faculty=[{"user_id": lead, "role": "lead"},
                                                        {"user_id": ta, "role": "ta"}])
    return {**course, "lead": lead, "ta": ta}


@pytest.fixture(name="forget")
def forget_fixture(mongo_client):
    """`forget(offering_id)`: delete a bulky test offering's enrollments and claims afterwards,
    so the rush tests do not leave thousands of rows for everyone sharing the test stack."""
    offering_ids: list[str] = []
    yield offering_ids.append
    database = enrollment_db(mongo_client)
    for offering_id in offering_ids:
        for name in ("enrollments", "places", "seats", "quota_places", "waitlist_tickets",
                     "waitlist_departures"):
            database[name].delete_many({"offering_id": offering_id})
