"""The course card's codec and query: what the search read model stores and asks for."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from meridian_catalog import worker
from meridian_catalog.adapters.course_cards import card_query, decode, encode
from meridian_catalog.adapters.wiring import ensure_indexes, restore_cards
from meridian_catalog.domain.courses import new_course
from meridian_catalog.domain.faculty import FacultyMember
from meridian_catalog.domain.search import CourseFilter
from meridian_catalog.events.handlers import build_handlers
from meridian_common.events.topics import CATALOG
from meridian_common.events.types import COURSE_EVENTS, COURSE_UPDATED
from tests.unit.catalog_fakes import fake_ports


def _course():
    fields = {"code": "ACU-1", "title": "Acupuncture — Grundlagen", "provider_institution_id":
              "ins_a", "languages": ["de", "zh-Hans"], "summary": "Nadeln", "tags": ["tcm"],
              "credits": 2.5, "discipline": "tcm", "level": None, "faculty": []}
    course = new_course("crs_1", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), fields)
    return replace(course, status="published", version=4,
                   published_at=datetime(2026, 3, 2, tzinfo=UTC),
                   faculty=[FacultyMember("prof", "lead"),
                            FacultyMember("ta", "ta", "invited", "crs_1~abc")])


def test_a_card_decodes_to_the_course_it_was_encoded_from():
    course = _course()
    again = decode(encode(course))
    assert again == course
    precise = replace(course, updated_at=datetime(2026, 3, 1, 9, 30, 0, 217151, tzinfo=UTC))
    # Milliseconds, as the course document's BSON date keeps them.
    assert decode(encode(precise)).updated_at.microsecond == 217000
    assert again.published_at.tzinfo is not None and again.archived_at is None
    assert isinstance(again.faculty[1], FacultyMember)


def test_every_word_must_match_and_the_first_one_is_also_an_equality():
    query = card_query(CourseFilter("published", terms=("tuina", "science")))
    assert query == {"status": "published",
                     "terms": {"$eq": "tuina", "$all": ["tuina", "science"]}}


def test_other_filters_are_top_level_equalities_and_providers_an_in():
    query = card_query(CourseFilter("draft", language="en", discipline="tcm", level="pg",
                                    provider_ids=frozenset({"ins_b", "ins_a"})))
    assert query == {"status": "draft", "languages": "en", "discipline": "tcm", "level": "pg",
                     "provider_institution_id": {"$in": ["ins_a", "ins_b"]}}
    assert card_query(CourseFilter("published")) == {"status": "published"}


def test_the_catalog_worker_restores_the_cards_when_it_starts():
    # Indexes first: a restore on a fresh database writes cards into an indexed collection.
    assert worker.build_spec().on_start == [ensure_indexes, restore_cards]


def test_the_worker_repairs_cards_from_the_catalogs_own_course_events():
    assert CATALOG in worker.build_spec().topics
    ports = fake_ports()
    handlers = build_handlers(ports)
    assert set(COURSE_EVENTS) <= set(handlers)
    handlers[COURSE_UPDATED](None, {"course_id": "crs_1", "version": 4})
    assert ports.courses.refreshed == [("crs_1", 4)]
