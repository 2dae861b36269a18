"""The catalog's MongoDB adapters on the real local database: identity, version guard,
newest-wins seat counts and the course search."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import mongoengine
import pytest

from meridian_catalog.adapters.wiring import ensure_indexes, mongo_ports
from meridian_catalog.domain.courses import new_course
from meridian_catalog.domain.search import CourseFilter
from meridian_common.config import load_settings
from meridian_common.conflicts import Conflict
from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence import db


@pytest.fixture
def ports(isolated_db_name):
    """Catalog ports on a fresh database."""
    db.connect(load_settings("catalog", {"mongo_db": isolated_db_name}))
    ensure_indexes()
    yield mongo_ports()
    mongoengine.disconnect(alias=db.ALIAS)


def course(provider: str, code: str, title: str, languages=("en",), status="published"):
    fields = {"code": code, "title": title, "provider_institution_id": provider,
              "languages": list(languages), "summary": f"{title} for the alliance", "tags": [],
              "faculty": [{"user_id": "prof", "role": "lead"}]}
    return replace(new_course(new_id("crs"), utcnow(), fields), status=status)


def test_a_course_code_is_unique_per_provider(ports):
    ports.courses.add(course("ins_a", "SURG-1", "Surgery"), [])
    ports.courses.add(course("ins_b", "SURG-1", "Surgery elsewhere"), [])
    with pytest.raises(Conflict) as refused:
        ports.courses.add(course("ins_a", "SURG-1", "Surgery again"), [])
    assert refused.value.code == "duplicate"


def test_an_update_from_a_stale_version_conflicts_and_changes_nothing(ports):
    stored = course("ins_a", "CARD-1", "Cardiology")
    ports.courses.add(stored, [])
    first = ports.courses.update(stored, {"title": "Cardiology I"}, lambda _new: [])
    assert first.version == 2
    with pytest.raises(Conflict) as refused:
        ports.courses.update(stored, {"title": "Cardiology II"}, lambda _new: [])
    assert refused.value.code == "concurrent_update"
    again = ports.courses.get(stored.id)
    assert (again.title, again.version, again.faculty[0].user_id) == ("Cardiology I", 2, "prof")


def test_seat_counts_keep_the_newest_version_under_parallel_deliveries(ports):
    offering = new_id("off")
    # 40 enrollments written in parallel, each one's versions in scrambled order by one
    # writer (the consumer handles a partition in order; events are keyed by offering).
    # Version 3 (withdrawn for the even ones, confirmed for the odd ones) must win each time.
    def deliver(n: int) -> None:
        for version in (2, 3, 1):
            status = "confirmed" if version < 3 or n % 2 else "withdrawn"
            ports.seats.record(f"enr_{n}", offering, status, version)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(deliver, range(40)))
    assert ports.seats.counts([offering])[offering] == {"confirmed": 20, "withdrawn": 20}
    assert not ports.seats.record("enr_0", offering, "confirmed", 2)


def test_seat_figures_come_from_the_tally_once_the_consumer_recounted(ports, mongo_client,
                                                                      isolated_db_name):
    seats = ports.seats
    offering, other = new_id("off"), new_id("off")
    seats.record("enr_1", offering, "confirmed", 1)
    seats.record("enr_2", offering, "waitlisted", 1)
    seats.record("enr_3", other, "confirmed", 1)
    # No tally yet (no batch since the rows): the rows are counted.
    assert seats.counts([offering, other]) == {offering: {"confirmed": 1, "waitlisted": 1},
                                               other: {"confirmed": 1}}
    seats.recount([offering])
    seats.record("enr_4", offering, "confirmed", 1)
    # A read is the tally, one lookup: the row kept since is not counted until the recount.
    assert seats.counts([offering])[offering] == {"confirmed": 1, "waitlisted": 1}
    seats.recount([offering, offering])
    assert seats.counts([offering, other]) == {offering: {"confirmed": 2, "waitlisted": 1},
                                               other: {"confirmed": 1}}
    (tally,) = mongo_client[isolated_db_name]["seat_tallies"].find({"_id": offering})
    assert (tally["confirmed"], tally["waitlisted"], tally["withdrawn"]) == (2, 1, 0)
    # Every state moves at each recount. The sequence FerretDB 1.24 got wrong when the tally
    # was one embedded document: {waitlisted: 2, withdrawn: 1} then {withdrawn: 2, confirmed: 1}
    # kept the first.
    seats.record("enr_1", offering, "waitlisted", 2)
    seats.record("enr_4", offering, "waitlisted", 2)
    for status, n, expected in (
            ("withdrawn", 2, {"waitlisted": 2, "withdrawn": 1}),
            ("confirmed", 3, {"waitlisted": 2, "confirmed": 1}),
            ("withdrawn", 4, {"waitlisted": 2, "withdrawn": 1})):
        seats.record("enr_2", offering, status, n)
        seats.recount([offering])
        assert seats.counts([offering])[offering] == expected
    for enrollment in ("enr_1", "enr_4"):
        seats.record(enrollment, offering, "withdrawn", 3)
    seats.record("enr_2", offering, "confirmed", 5)
    seats.recount([offering])
    assert seats.counts([offering])[offering] == {"withdrawn": 2, "confirmed": 1}


def test_course_search_filters_sorts_and_counts_in_the_database(ports):
    for provider, code, title, languages in [
            ("ins_a", "A1", "Zoology", ["en"]), ("ins_a", "A2", "Anatomy", ["en", "zh"]),
            ("ins_b", "B1", "Botany", ["zh"]), ("ins_c", "C1", "Chemistry", ["en"])]:
        ports.courses.add(course(provider, code, title, languages), [])
    ports.courses.add(course("ins_a", "A3", "Acoustics", status="draft"), [])
    page, total = ports.courses.search(CourseFilter(status="published"), 1, 2)
    assert [c.title for c in page] == ["Anatomy", "Botany"] and total == 4
    wanted = CourseFilter(status="published", language="en",
                          provider_ids=frozenset({"ins_a", "ins_c"}))
    page, total = ports.courses.search(wanted, 1, 20)
    assert [c.title for c in page] == ["Anatomy", "Chemistry", "Zoology"] and total == 3
    by_words = CourseFilter(status="published", terms=("anatomy", "alliance"))
    assert [c.code for c in ports.courses.search(by_words, 1, 20)[0]] == ["A2"]


def test_the_search_reads_each_courses_newest_card(ports):
    stored = course("ins_a", "N1", "Neurology")
    ports.courses.add(stored, [])
    edited = ports.courses.update(stored, {"title": "Neurosurgery", "search_terms": [
        "n1", "neurosurgery"]}, lambda _new: [])
    assert ports.courses.search(CourseFilter("published", terms=("neurology",)), 1, 20)[1] == 0
    page, total = ports.courses.search(CourseFilter("published", terms=("neurosurgery",)), 1, 20)
    assert total == 1 and (page[0].title, page[0].version) == ("Neurosurgery", edited.version)
    assert page[0] == ports.courses.get(stored.id)
    ports.courses.update(edited, {"status": "archived"}, lambda _new: [])
    assert ports.courses.search(CourseFilter("published"), 1, 20) == ([], 0)
    assert [c.id for c in ports.courses.search(CourseFilter("archived"), 1, 20)[0]] == [stored.id]


def test_a_page_past_the_end_is_empty_with_the_total(ports):
    for n in range(3):
        ports.courses.add(course("ins_a", f"P{n}", f"Pathology {n}"), [])
    assert ports.courses.search(CourseFilter("published"), 2, 2)[1] == 3
    assert [c.title for c in ports.courses.search(CourseFilter("published"), 2, 2)[0]] == [
        "Pathology 2"]
    assert ports.courses.search(CourseFilter("published"), 3, 2) == ([], 3)


def test_search_pages_follow_the_databases_order_for_equal_and_non_ascii_titles(ports):
    titles = ["Émergence", "Zebra", "Ärzte", "中医学", "Anatomy", "Anatomy", "Zoë"]
    stored = [course("ins_o", f"O{n}", title) for n, title in enumerate(titles)]
    for each in stored:
        ports.courses.add(each, [])
    # MongoDB's order without a collation: UTF-8 bytes, then the id for equal titles.
    expected = [c.id for c in sorted(stored, key=lambda c: (c.title.encode(), c.id))]
    pages = [ports.courses.search(CourseFilter("published"), n, 3) for n in (1, 2, 3)]
    assert [total for _page, total in pages] == [7, 7, 7]
    assert [c.id for page, _total in pages for c in page] == expected


def test_missing_and_stale_cards_are_restored_from_the_courses(ports, mongo_client,
                                                               isolated_db_name):
    kept, lost = course("ins_a", "R1", "Radiology"), course("ins_a", "R2", "Rheumatology")
    ports.courses.add(kept, [])
    ports.courses.add(lost, [])
    cards = mongo_client[isolated_db_name]["course_cards"]
    # As if a process stopped between the course write and its card write.
    cards.delete_one({"_id": lost.id})
    cards.update_one({"_id": kept.id}, {"$set": {"version": 0, "title": "Stale"}})
    assert [c.id for c in ports.courses.search(CourseFilter("published"), 1, 20)[0]] == [kept.id]
    assert ports.courses.restore_cards() == 2
    page, total = ports.courses.search(CourseFilter("published"), 1, 20)
    assert total == 2 and [c.title for c in page] == ["Radiology", "Rheumatology"]
    assert ports.courses.restore_cards() == 0


def test_a_course_event_repairs_a_card_its_writer_left_behind(ports, mongo_client,
                                                             isolated_db_name):
    stored = course("ins_a", "N1", "Nephrology")
    ports.courses.add(stored, [])
    updated = ports.courses.update(stored, {"title": "Nephrology II"}, lambda _new: [])
    cards = mongo_client[isolated_db_name]["course_cards"]
    # As if the process stopped after the course write, before the card's.
    cards.update_one({"_id": stored.id}, {"$set": {"version": 1, "title": "Nephrology"}})
    assert ports.courses.refresh_card(stored.id, updated.version)
    assert cards.find_one({"_id": stored.id})["title"] == "Nephrology II"
    # The event arriving again, or an older one, writes nothing.
    assert not ports.courses.refresh_card(stored.id, updated.version)
    assert not ports.courses.refresh_card(stored.id, 1)


def test_cards_hold_no_outbox_and_no_nested_documents(ports, mongo_client, isolated_db_name):
    stored = course("ins_a", "O1", "Oncology")
    ports.courses.add(stored, [{"id": "evt", "type": "x", "stored_at": utcnow()}])
    card = mongo_client[isolated_db_name]["course_cards"].find_one({"_id": stored.id})
    assert "outbox" not in card and "faculty" not in card
    assert all(not isinstance(value, dict) for value in card.values())


def test_a_read_shows_the_course_from_its_card_or_from_the_course_without_one(
        ports, mongo_client, isolated_db_name):
    stored = course("ins_a", "G1", "Genetics")
    ports.courses.add(stored, [])
    edited = ports.courses.update(stored, {"title": "Genomics"}, lambda _new: [])
    current = ports.courses.get(stored.id)
    assert (current.title, current.version) == ("Genomics", edited.version)
    assert ports.courses.read(stored.id) == current
    mongo_client[isolated_db_name]["course_cards"].delete_one({"_id": stored.id})
    assert ports.courses.read(stored.id) == current
    assert ports.courses.read("crs_missing") is None
