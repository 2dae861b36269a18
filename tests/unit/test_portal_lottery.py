"""The course page tells a student who applied to a drawn lottery their result and the seed."""

from __future__ import annotations

import hashlib

import pytest
from cachelib import SimpleCache
from meridian_portal.api import Answer
from meridian_portal.app import create_app

from tests.unit.test_portal_views import FakeApi, _sign_in

OFFERING = {"id": "o1", "term": "Spring 2027", "starts_on": "2027-03-01",
            "ends_on": "2027-06-30", "enrollment_opens_at": "2027-01-01T00:00:00Z",
            "enrollment_closes_at": "2027-02-01T00:00:00Z", "capacity": 2,
            "seats_available": 0, "selection": "lottery", "status": "open", "eligibility": None}
DRAW = {"seed": "committee-2027", "drawn_at": "2027-02-02T09:00:00Z"}


@pytest.fixture
def fake():
    return FakeApi()


@pytest.fixture
def app(fake):
    made = create_app({"dev_auth": True}, session_store=SimpleCache())
    made.config.update(WTF_CSRF_ENABLED=False)
    made.extensions["meridian.api"] = fake
    return made


def course_page(app, fake: FakeApi, status: str, selected: bool | None,
                locale: str = "en") -> str:
    """The course page for student stu-7, whose enrollment in o1 has that status and draw."""
    client = app.test_client()
    _sign_in(client, fake, sub="stu-7", roles="student", locale=locale)
    fake.answers[("GET", "/api/v1/courses/c1")] = Answer(200, {
        "id": "c1", "code": "LAW101", "title": "Comparative law", "summary": "",
        "discipline": "law", "level": "undergraduate", "languages": ["en"],
        "offerings": [{"id": "o1"}]})
    fake.answers[("GET", "/api/v1/offerings/o1")] = Answer(200, OFFERING)
    draw = None if selected is None else {**DRAW, "selected": selected}
    fake.answers[("GET", "/api/v1/me/enrollments")] = Answer(200, {"items": [{
        "id": "enr_1", "offering_id": "o1", "student_id": "stu-7", "status": status,
        "waitlist_position": 1 if status == "waitlisted" else None, "draw": draw}],
        "total": 1})
    response = client.get("/courses/c1")
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(("status", "selected", "says"), [
    ("confirmed", True, "You were selected in the lottery draw."),
    ("waitlisted", False, "You were not selected in the lottery draw: you are on the waitlist."),
    ("confirmed", False, "You were not selected in the lottery draw."),
])
def test_a_drawn_applicant_sees_the_result_seed_ticket_and_how_to_rerun(app, fake, status,
                                                                        selected, says):
    page = course_page(app, fake, status, selected)
    assert f"<strong>{says}</strong>" in page
    assert "<code>committee-2027</code>" in page
    ticket = hashlib.sha256(b"committee-2027:stu-7").hexdigest()
    assert f"<code>{ticket}</code>" in page
    assert "How to re-run the draw" in page and "committee-2027:stu-7" in page


def test_before_the_draw_there_is_no_result(app, fake):
    page = course_page(app, fake, "applied", None)
    assert "data-draw" not in page and "How to re-run the draw" not in page


def test_the_result_is_in_simplified_chinese(app, fake):
    page = course_page(app, fake, "waitlisted", False, locale="zh-Hans")
    assert "您在抽签中未被选中" in page and "您已在候补名单上" in page and "抽签种子" in page
    assert "如何复现抽签" in page and "How to re-run the draw" not in page
