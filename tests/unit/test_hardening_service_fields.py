"""Service schemas refuse invisible or bidi-spoofed names, `localtime`, and overflowing offsets."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from meridian_catalog.api.schemas import CoursePatch, InstitutionIn, OfferingIn
from meridian_classroom.api.schemas.access import MeetingProviderIn
from meridian_classroom.api.schemas.sessions import RangeArgs, SessionPatch

SPOOFED = ["\u200b\u200b", "\u3000", "evil\u202egnp.exe", "\u2066Oxford\u2069"]


@pytest.mark.parametrize("name", SPOOFED)
def test_institution_names_must_be_visible_and_plain(name):
    with pytest.raises(ValidationError) as refused:
        InstitutionIn().load({"name": name, "country": "GB", "timezone": "Europe/London"})
    assert "name" in refused.value.messages


@pytest.mark.parametrize("field", ["title", "discipline", "level"])
@pytest.mark.parametrize("text", SPOOFED)
def test_course_texts_must_be_visible_and_plain(field, text):
    with pytest.raises(ValidationError) as refused:
        CoursePatch().load({field: text})
    assert field in refused.value.messages


def test_course_summary_refuses_bidi_overrides_but_may_be_empty():
    assert CoursePatch().load({"summary": ""}) == {"summary": ""}
    with pytest.raises(ValidationError):
        CoursePatch().load({"summary": "Read \u202ethis"})


def test_offering_term_must_be_visible():
    with pytest.raises(ValidationError) as refused:
        OfferingIn().load({"term": "\u200b"}, partial=True)
    assert "term" in refused.value.messages


@pytest.mark.parametrize("title", SPOOFED)
def test_session_titles_must_be_visible_and_plain(title):
    with pytest.raises(ValidationError) as refused:
        SessionPatch().load({"title": title})
    assert "title" in refused.value.messages


def test_localtime_is_not_a_zone():
    with pytest.raises(ValidationError) as refused:
        SessionPatch().load({"timezone": "localtime"})
    assert "timezone" in refused.value.messages


@pytest.mark.parametrize("instant", ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+14:00"])
def test_range_bounds_with_overflowing_offsets_are_refused(instant):
    with pytest.raises(ValidationError) as refused:
        RangeArgs().load({"from": instant})
    assert "from" in refused.value.messages


def test_meeting_urls_refuse_bidi_overrides():
    with pytest.raises(ValidationError) as refused:
        MeetingProviderIn().load({"provider": "external",
                                  "url": "https://meet.example.org/\u202eroom"})
    assert "url" in refused.value.messages
