"""Catalog use cases over in-memory ports: transitions, their events, and the conflicts."""

from collections import namedtuple
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from meridian_catalog.application import courses, institutions, offerings
from meridian_catalog.application.seats import seat_figures
from meridian_catalog.domain.refusals import Forbidden, Invalid, NotFound
from meridian_catalog.events.handlers import build_after_batch, build_handlers
from meridian_common.conflicts import Conflict
from meridian_common.events import types
from tests.unit.catalog_fakes import fake_ports


@dataclass(frozen=True)
class Caller:
    roles: frozenset
    institution_id: str | None = None
    user_id: str = "u-caller"


ADMIN = Caller(frozenset({"admin"}))


def as_(caller):
    return lambda: caller


@pytest.fixture
def world():
    ports = fake_ports()
    provider = institutions.register_institution(ports, as_(ADMIN), {
        "name": "Oxford", "country": "GB", "timezone": "Europe/London",
        "alliances": ["med-alliance"]})
    course = courses.create_course(ports, as_(ADMIN), {
        "code": "SURG-101", "title": "Surgery", "provider_institution_id": provider.id,
        "languages": ["en"], "summary": "Live surgical teaching", "tags": [], "faculty": []})
    return ports, provider, course


def offering_fields(**overrides):
    fields = {"term": "2027 spring", "starts_on": date(2027, 3, 1), "ends_on": date(2027, 3, 21),
              "timezone": "Europe/London", "capacity": 2,
              "enrollment_opens_at": datetime(2027, 1, 1, tzinfo=UTC),
              "enrollment_closes_at": datetime(2027, 2, 1, tzinfo=UTC), "eligibility": None,
              "selection": "first_come", "waitlist": True}
    return {**fields, **overrides}


def test_publish_then_archive_store_their_events_with_the_new_state(world):
    ports, _provider, course = world
    assert ports.courses.types() == []  # drafts are not announced
    published = courses.move_course(ports, as_(ADMIN), course.id, "publish")
    assert (published.status, published.version) == ("published", 2)
    assert published.published_at is not None
    archived = courses.move_course(ports, as_(ADMIN), course.id, "archive")
    assert archived.status == "archived" and archived.archived_at is not None
    assert ports.courses.types() == [types.COURSE_PUBLISHED, types.COURSE_ARCHIVED]
    assert [e["data"]["version"] for e in ports.courses.events] == [2, 3]
    assert ports.courses.events[0]["data"]["status"] == "published"


def test_transitions_from_the_wrong_state_conflict_and_store_nothing(world):
    ports, _provider, course = world
    with pytest.raises(Conflict) as refused:
        courses.move_course(ports, as_(ADMIN), course.id, "archive")
    assert refused.value.code == "invalid_state"
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    with pytest.raises(Conflict):
        courses.move_course(ports, as_(ADMIN), course.id, "publish")
    assert ports.courses.types() == [types.COURSE_PUBLISHED]
    assert ports.courses.get(course.id).version == 2


def test_only_published_courses_announce_edits_and_archives_are_frozen(world):
    ports, _provider, course = world
    renamed = courses.patch_course(ports, as_(ADMIN), course.id, {"title": "Thoracic surgery"})
    assert "thoracic" in renamed.search_terms and ports.courses.types() == []
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    courses.patch_course(ports, as_(ADMIN), course.id, {"tags": ["robotics"]})
    assert ports.courses.types()[-1] == types.COURSE_UPDATED
    courses.move_course(ports, as_(ADMIN), course.id, "archive")
    with pytest.raises(Conflict):
        courses.patch_course(ports, as_(ADMIN), course.id, {"title": "Late"})


def test_patch_from_a_stale_version_conflicts(world):
    ports, _provider, course = world

    def someone_else_writes_first(_seen):
        courses.patch_course(ports, as_(ADMIN), course.id, {"title": "First"})

    with pytest.raises(Conflict) as refused:
        courses.patch_course(ports, as_(ADMIN), course.id, {"title": "Second"},
                             someone_else_writes_first)
    assert refused.value.code == "concurrent_update"
    stored = ports.courses.get(course.id)
    assert (stored.title, stored.version) == ("First", 2)


def test_a_second_course_with_the_same_code_at_one_provider_conflicts(world):
    ports, provider, _course = world
    with pytest.raises(Conflict) as refused:
        courses.create_course(ports, as_(ADMIN), {
            "code": "SURG-101", "title": "Again", "provider_institution_id": provider.id,
            "languages": ["en"], "summary": "", "tags": [], "faculty": []})
    assert refused.value.code == "duplicate"


def test_offerings_open_only_for_published_courses_and_known_institutions(world):
    ports, _provider, course = world
    with pytest.raises(Conflict):
        offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields())
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    with pytest.raises(Invalid) as invalid:
        offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields(
            eligibility={"institutions": ["ins_nowhere"], "alliances": [], "countries": []}))
    assert "eligibility" in invalid.value.errors
    opened = offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields())
    assert ports.offerings.types() == [types.OFFERING_OPENED]
    assert ports.offerings.events[0]["key"] == opened.id


def test_capacity_below_confirmed_seats_conflicts(world):
    ports, _provider, course = world
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    opened = offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields(capacity=3))
    record = build_handlers(ports)[types.ENROLLMENT_CONFIRMED]
    for enrollment in ("enr_a", "enr_b"):
        record(None, {"enrollment_id": enrollment, "offering_id": opened.id,
                      "status": "confirmed", "version": 1})
    with pytest.raises(Conflict) as refused:
        offerings.patch_offering(ports, as_(ADMIN), opened.id, {"capacity": 1})
    assert refused.value.code == "capacity_below_confirmed"
    assert ports.offerings.get(opened.id).capacity == 3
    lowered = offerings.patch_offering(ports, as_(ADMIN), opened.id, {"capacity": 2})
    assert lowered.capacity == 2
    assert ports.offerings.types() == [types.OFFERING_OPENED, types.OFFERING_UPDATED]


def test_cancelled_offerings_refuse_changes(world):
    ports, _provider, course = world
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    opened = offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields())
    cancelled = offerings.cancel_offering(ports, as_(ADMIN), opened.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    for attempt in (lambda: offerings.cancel_offering(ports, as_(ADMIN), opened.id),
                    lambda: offerings.patch_offering(ports, as_(ADMIN), opened.id,
                                                     {"capacity": 5})):
        with pytest.raises(Conflict):
            attempt()
    assert ports.offerings.types()[-1] == types.OFFERING_CANCELLED


def test_seat_counts_keep_the_newest_version_of_each_enrollment(world):
    ports, _provider, course = world
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    opened = offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields())
    handlers = build_handlers(ports)
    assert set(handlers) == {*types.ENROLLMENT_EVENTS, *types.COURSE_EVENTS}

    def deliver(enrollment, status, version):
        handlers[f"lms.enrollment.{status}.v1"](None, {
            "enrollment_id": enrollment, "offering_id": opened.id, "status": status,
            "version": version})

    deliver("enr_a", "confirmed", 1)
    deliver("enr_b", "confirmed", 1)
    deliver("enr_c", "waitlisted", 1)
    assert seat_figures(ports, [opened])[opened.id] == \
        {"seats_taken": 2, "seats_available": 0, "waitlist_length": 1}
    deliver("enr_a", "withdrawn", 2)
    deliver("enr_c", "confirmed", 2)
    deliver("enr_a", "confirmed", 1)  # late redelivery of an older version
    assert seat_figures(ports, [opened])[opened.id] == \
        {"seats_taken": 2, "seats_available": 0, "waitlist_length": 0}


def test_drafts_are_hidden_and_managed_only_by_their_provider(world):
    ports, provider, course = world
    stranger = Caller(frozenset({"institution_admin"}), "ins_other")
    owner = Caller(frozenset({"institution_admin"}), provider.id)
    with pytest.raises(NotFound):
        courses.visible_course(ports, as_(None), course.id)
    assert courses.visible_course(ports, as_(owner), course.id).id == course.id
    with pytest.raises(Forbidden):
        courses.move_course(ports, as_(stranger), course.id, "publish")
    with pytest.raises(Forbidden):
        institutions.patch_institution(ports, as_(owner), provider.id, {"name": "Mine"})


def test_search_shows_drafts_to_their_provider_only(world):
    ports, provider, course = world
    page = {"page": 1, "per_page": 20}
    assert courses.search_courses(ports, as_(None), page) == ([], 0)
    with pytest.raises(Forbidden):
        courses.search_courses(ports, as_(None), {**page, "status": "draft"})
    owner = Caller(frozenset({"institution_admin"}), provider.id)
    found, total = courses.search_courses(ports, as_(owner), {**page, "status": "draft"})
    assert [c.id for c in found] == [course.id] and total == 1
    stranger = Caller(frozenset({"institution_admin"}), "ins_other")
    assert courses.search_courses(ports, as_(stranger), {**page, "status": "draft"})[1] == 0
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    by_word = courses.search_courses(ports, as_(None), {**page, "q": "Surgical",
                                                        "alliance": "med-alliance"})
    assert by_word[1] == 1
    assert courses.search_courses(ports, as_(None), {**page, "alliance": "other"})[1] == 0


Message = namedtuple("Message", "topic key")


def test_a_batch_recounts_the_seats_of_the_offerings_its_enrollment_events_were_about(world):
    ports, _provider, course = world
    courses.move_course(ports, as_(ADMIN), course.id, "publish")
    first, second = (offerings.open_offering(ports, as_(ADMIN), course.id, offering_fields())
                     for _ in range(2))
    record = build_handlers(ports)[types.ENROLLMENT_CONFIRMED]
    after_batch = build_after_batch(ports)
    record(None, {"enrollment_id": "enr_a", "offering_id": first.id, "status": "confirmed",
                  "version": 1})
    after_batch([Message("lms.enrollment", first.id.encode())])
    record(None, {"enrollment_id": "enr_b", "offering_id": first.id, "status": "confirmed",
                  "version": 1})
    # Until its batch ends, a read shows the last count (the tally), not the row just kept.
    assert seat_figures(ports, [first])[first.id]["seats_taken"] == 1
    after_batch([Message("t1.lms.enrollment", first.id.encode()),
                 Message("t1.lms.enrollment", first.id.encode()),
                 Message("lms.catalog", second.id.encode()), Message("lms.enrollment", None)])
    assert seat_figures(ports, [first])[first.id]["seats_taken"] == 2
    # One recount per offering and batch; course events and keyless messages count nothing.
    assert ports.seats.recounts == [[first.id], [first.id]]
    after_batch([Message("lms.catalog", second.id.encode())])
    assert ports.seats.recounts == [[first.id], [first.id]]
