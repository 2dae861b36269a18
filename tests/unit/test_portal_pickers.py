"""The search page's provider picker: fetched with the search, then kept for a minute."""

from __future__ import annotations

import pytest
from cachelib import SimpleCache
from meridian_portal.api import Answer
from meridian_portal.app import create_app
from meridian_portal.pickers import INSTITUTIONS, PickerCache

from tests.unit.test_portal_views import FakeApi

OXFORD = {"id": "ins_ox", "name": "Oxford"}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake():
    made = FakeApi()
    made.answers[("GET", "/api/v1/courses")] = Answer(200, {"items": [], "total": 0})
    made.answers[("GET", "/api/v1/institutions")] = Answer(200, {"items": [OXFORD]})
    return made


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(fake, clock):
    app = create_app({"dev_auth": True}, session_store=SimpleCache())
    app.extensions["meridian.api"] = fake
    app.extensions["meridian.pickers"] = PickerCache(clock=clock)
    return app.test_client()


def _institution_calls(fake) -> int:
    return sum(1 for _m, path, _b in fake.calls if path == INSTITUTIONS)


def test_the_picker_is_fetched_once_a_minute_and_shown_every_time(client, fake, clock):
    for _ in range(3):
        page = client.get("/courses")
        assert '<option value="ins_ox" >Oxford</option>' in page.text
    assert _institution_calls(fake) == 1
    clock.now += 61
    client.get("/courses")
    assert _institution_calls(fake) == 2


def test_a_failed_picker_answer_is_not_kept(client, fake):
    fake.answers[("GET", "/api/v1/institutions")] = Answer(404, {})
    page = client.get("/courses")
    assert page.status_code == 200 and "Oxford" not in page.text
    fake.answers[("GET", "/api/v1/institutions")] = Answer(200, {"items": [OXFORD]})
    assert "Oxford" in client.get("/courses").text
    assert _institution_calls(fake) == 2
