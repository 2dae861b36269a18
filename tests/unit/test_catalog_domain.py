"""Catalog rules without I/O: workflow, permissions, offering dates, search words."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from meridian_catalog.domain.offerings import capacity_conflict, check_schedule, seat_summary
from meridian_catalog.domain.permissions import can_manage_course, can_manage_institutions
from meridian_catalog.domain.search import course_terms, query_terms
from meridian_catalog.domain.workflow import TransitionRefused, is_publicly_visible, next_status


@dataclass
class Caller:
    roles: frozenset
    institution_id: str | None = None


def test_course_life_cycle_only_moves_forward():
    assert next_status("publish", "draft") == "published"
    assert next_status("archive", "published") == "archived"
    for action, state in [("publish", "published"), ("publish", "archived"),
                          ("archive", "draft"), ("archive", "archived")]:
        with pytest.raises(TransitionRefused):
            next_status(action, state)
    assert is_publicly_visible("published")
    assert not is_publicly_visible("draft") and not is_publicly_visible("archived")


def test_only_admins_of_the_provider_manage_its_courses():
    assert can_manage_course(Caller(frozenset({"admin"})), "ins_a")
    assert can_manage_course(Caller(frozenset({"institution_admin"}), "ins_a"), "ins_a")
    assert not can_manage_course(Caller(frozenset({"institution_admin"}), "ins_b"), "ins_a")
    assert not can_manage_course(Caller(frozenset({"instructor"}), "ins_a"), "ins_a")
    assert not can_manage_course(None, "ins_a")
    assert can_manage_institutions(Caller(frozenset({"admin"})))
    assert not can_manage_institutions(Caller(frozenset({"institution_admin"}), "ins_a"))


def test_offering_dates_must_be_consistent():
    opens = datetime(2027, 1, 1, tzinfo=UTC)
    closes = datetime(2027, 2, 1, tzinfo=UTC)
    assert check_schedule(date(2027, 3, 1), date(2027, 3, 21), opens, closes) == {}
    errors = check_schedule(date(2027, 3, 21), date(2027, 3, 1), closes, opens)
    assert set(errors) == {"ends_on", "enrollment_closes_at"}
    late = datetime(2027, 4, 1, tzinfo=UTC)
    assert "enrollment_opens_at" in check_schedule(date(2027, 3, 1), date(2027, 3, 21), late,
                                                   datetime(2027, 5, 1, tzinfo=UTC))


def test_capacity_cannot_drop_below_confirmed_seats():
    assert capacity_conflict(10, 10) is None
    assert "below the 11 seats" in capacity_conflict(10, 11)
    assert seat_summary(5, 7, 3) == {"seats_taken": 7, "seats_available": 0, "waitlist_length": 3}


def test_search_words_are_folded_and_deduplicated():
    terms = course_terms("MED-101", "Médecine Chinoise", "Acupuncture & moxibustion", ["TCM"])
    assert {"med", "101", "medecine", "chinoise", "acupuncture", "moxibustion", "tcm"} <= set(terms)
    assert query_terms("Acupuncture ACUPUNCTURE médecine") == ["acupuncture", "medecine"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(30)))) == 10
