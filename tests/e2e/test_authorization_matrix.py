"""The authorization matrix in docs/security/authorization-matrix.md, one test per table row,
through the running gateway; and every operation of the merged OpenAPI document has rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
import requests

from tests.e2e.authz_world import World
from tests.e2e.catalog_factories import offering_body
from tests.support import unique

MATRIX = Path(__file__).resolve().parents[2] / "docs" / "security" / "authorization-matrix.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


class Row(NamedTuple):
    method: str
    path: str
    actor: str
    expect: str

    @property
    def template(self) -> str:
        """The path as an OpenAPI-style template with anonymous placeholders, no query."""
        return _PLACEHOLDER.sub("{}", self.path.split("?", 1)[0])


def matrix_rows(text: str) -> list[Row]:
    """Every table row of the document whose first cell is an HTTP method."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] in METHODS:
            rows.append(Row(cells[0], cells[1], cells[2], cells[3]))
    return rows


ROWS = matrix_rows(MATRIX.read_text())


def _days(start: int, length: int) -> dict:
    first = datetime.now(UTC).date() + timedelta(days=start)
    return {"from": first.isoformat(), "to": (first + timedelta(days=length)).isoformat()}


# The body each operation is called with: valid, so that a refusal can only be about who asks.
BODIES = {
    ("POST", "/api/v1/auth/dev-token"): lambda w: {"sub": unique("u-"), "roles": ["student"]},
    ("POST", "/api/v1/institutions"): lambda w: {
        "name": f"Matrix {unique()}", "country": "FR", "timezone": "Europe/Paris",
        "alliances": []},
    ("PATCH", "/api/v1/institutions/{}"): lambda w: {"name": f"Matrix A {unique()}"},
    ("POST", "/api/v1/courses"): lambda w: w.course_json(),
    ("PATCH", "/api/v1/courses/{}"): lambda w: {"summary": f"Edited {unique()}"},
    ("POST", "/api/v1/courses/{}/offerings"): lambda w: offering_body(),
    ("PATCH", "/api/v1/offerings/{}"): lambda w: {"capacity": 40},
    ("POST", "/api/v1/offerings/{}/enrollments"): lambda w: {},
    ("POST", "/api/v1/offerings/{}/enrollments/bulk"): lambda w: {
        "student_ids": [unique("bulk-")]},
    ("POST", "/api/v1/offerings/{}/draw"): lambda w: {},
    ("POST", "/api/v1/offerings/{}/sessions"): lambda w: w.session_json(),
    ("POST", "/api/v1/offerings/{}/slot-suggestions"): lambda w: {
        "duration_minutes": 60, **_days(30, 6)},
    ("PUT", "/api/v1/offerings/{}/meeting-provider"): lambda w: {"provider": "jitsi"},
    ("PATCH", "/api/v1/sessions/{}"): lambda w: {"title": f"Renamed {unique()}"},
    ("POST", "/api/v1/sessions/{}/join"): lambda w: {},
    ("PUT", "/api/v1/me/notification-preferences"): lambda w: {"digest": "daily"},
}


@pytest.fixture(scope="module")
def world(gateway_url):
    with requests.Session() as http:
        yield World(http, gateway_url).build()


def _matches(status: int, expect: str) -> bool:
    if expect.endswith("xx"):
        return str(status)[0] == expect[0]
    return status == int(expect)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.method} {r.path} as {r.actor}" for r in ROWS])
def test_matrix_row(world, row):
    path = _PLACEHOLDER.sub(lambda m: world.resolve(m.group(1)), row.path)
    body = BODIES.get((row.method, row.template))
    response = world.client(row.actor).request(
        row.method, path, json=body(world) if body else None)
    assert _matches(response.status_code, row.expect), (
        f"{row.method} {path} as {row.actor}: expected {row.expect}, got "
        f"{response.status_code} {response.text[:300]}")
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"


def test_the_matrix_covers_every_operation_of_the_api(http, gateway_url):
    document = http.get(f"{gateway_url}/api/v1/openapi.json", timeout=30).json()
    assert document["x-meridian-services"] == {
        "catalog": "ok", "enrollment": "ok", "classroom": "ok", "notifications": "ok"}, \
        "every service must answer"
    operations = {(method.upper(), _PLACEHOLDER.sub("{}", path))
                  for path, item in document["paths"].items()
                  for method in item if method.upper() in METHODS}
    covered = {(row.method, row.template) for row in ROWS}
    assert operations - covered == set(), "operations without matrix rows"
    assert covered - operations == set(), "matrix rows for operations the API lacks"


def test_every_protected_operation_refuses_anonymous_callers():
    by_operation: dict[tuple[str, str], set[str]] = {}
    for row in ROWS:
        by_operation.setdefault((row.method, row.template), set()).add(row.actor)
    assert all("anonymous" in actors for actors in by_operation.values()), (
        [op for op, actors in by_operation.items() if "anonymous" not in actors])


def test_a_students_lists_hold_only_their_own_things(world):
    mine = world.client("student_b").get("/api/v1/me/enrollments").json()["items"]
    assert world.ids["enrollment_a"] not in {item["id"] for item in mine}
    timetable = world.client("student_b").get("/api/v1/me/timetable").json()["items"]
    assert world.ids["session_a"] not in {item["id"] for item in timetable}
