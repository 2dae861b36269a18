"""Builders for catalog resources through the gateway (shared by e2e tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support import unique


def institution(admin, *, country="GB", timezone_name="Europe/London", alliances=None) -> dict:
    """Create an institution as a platform admin and return it."""
    response = admin.post("/api/v1/institutions", json={
        "name": f"University {unique()}", "country": country, "timezone": timezone_name,
        "alliances": alliances if alliances is not None else []})
    assert response.status_code == 201, response.text
    return response.json()


def course_body(provider_id: str, **overrides) -> dict:
    """A valid course creation body."""
    body = {"code": unique("C").upper(), "title": "Medical Cell Biology",
            "summary": "Cells, tissues and the molecular basis of disease.",
            "provider_institution_id": provider_id, "languages": ["en"],
            "discipline": "medicine", "level": "undergraduate", "credits": 5,
            "tags": ["biology"], "faculty": [{"user_id": "u-lead", "role": "lead"}]}
    body.update(overrides)
    return body


def course(client, provider_id: str, publish: bool = True, **overrides) -> dict:
    """Create (and by default publish) a course."""
    response = client.post("/api/v1/courses", json=course_body(provider_id, **overrides))
    assert response.status_code == 201, response.text
    created = response.json()
    if publish:
        response = client.post(f"/api/v1/courses/{created['id']}/publish")
        assert response.status_code == 200, response.text
        created = response.json()
    return created


def offering_body(**overrides) -> dict:
    """A valid offering body whose enrollment window is open now."""
    now = datetime.now(UTC)
    body = {"term": "2027-spring", "starts_on": (now + timedelta(days=60)).date().isoformat(),
            "ends_on": (now + timedelta(days=81)).date().isoformat(),
            "timezone": "Europe/London", "capacity": 27,
            "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=30)).isoformat(),
            "eligibility": None, "selection": "first_come", "waitlist": True}
    body.update(overrides)
    return body


def offering(client, course_id: str, **overrides) -> dict:
    """Open an offering of a published course."""
    response = client.post(f"/api/v1/courses/{course_id}/offerings",
                           json=offering_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()
