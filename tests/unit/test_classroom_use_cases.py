"""Classroom use cases on in-memory fakes: scheduling, conflicts, changes, joining, timetables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from meridian_classroom.application import joining, reading, readmodels, scheduling
from meridian_classroom.application.errors import Forbidden, NotFound, ScheduleBusy
from meridian_classroom.application.reading import Window
from meridian_common.conflicts import Conflict
from meridian_common.events.types import SESSION_CANCELLED, SESSION_RESCHEDULED, SESSION_SCHEDULED
from tests.unit.classroom_fakes import FakeClock, Person, classroom

LONDON = "Europe/London"
LEAD = Person("u-lead", frozenset({"instructor"}))
OTHER = Person("u-other", frozenset({"instructor"}))
STUDENT = Person("u-stu")


def world(clock: FakeClock | None = None):
    app = classroom(clock)
    app.catalog.add("off-a", {"u-lead": "lead", "u-ta": "ta"})
    app.catalog.add("off-b", {"u-lead": "lead", "u-other": "instructor"})
    app.rosters.confirm("off-a", "u-stu")
    return app


def series(app, start="2027-03-15T14:00", count=1, offering="off-a", who=LEAD,
           instructors=("u-lead",), frequency="weekly", minutes=60):
    return scheduling.schedule_series(app, who, offering, {
        "kind": "lecture", "title": "Sutures", "start": datetime.fromisoformat(start),
        "timezone": LONDON, "fold": None, "duration_minutes": minutes,
        "instructors": list(instructors), "repeat": {"frequency": frequency, "count": count}})


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_weekly_series_keeps_london_wall_time_across_the_spring_change():
    app = world()
    _series_id, sessions = series(app, count=4)
    # Britain's clocks go forward on 28 March 2027: 14:00 London is 14:00 UTC, then 13:00.
    assert [s.start for s in sessions] == [utc("2027-03-15T14:00"), utc("2027-03-22T14:00"),
                                           utc("2027-03-29T13:00"), utc("2027-04-05T13:00")]
    assert {s.wall_start[11:] for s in sessions} == {"14:00"}
    assert [e.type for e in app.sessions.events] == [SESSION_SCHEDULED] * 4
    assert all(s.sequence == 0 and s.status == "scheduled" for s in sessions)
    assert app.lease.held == [["instructor:u-lead", "offering:off-a"]]


def test_an_instructor_teaching_elsewhere_then_is_a_conflict_and_nothing_is_stored():
    app = world()
    series(app, "2027-03-15T14:00", offering="off-a")
    with pytest.raises(Conflict) as refused:
        series(app, "2027-03-15T14:30", count=2, offering="off-b")
    assert refused.value.code == "schedule_conflict"
    (clash,) = refused.value.extra["conflicts"]
    assert clash["reasons"] == ["instructor"] and clash["instructors"] == ["u-lead"]
    assert clash["occurrence"] == 0 and clash["conflicting_offering_id"] == "off-a"
    assert len(app.sessions.rows) == 1


def test_another_institution_s_session_shows_only_as_busy():
    app = world()
    app.catalog.add("off-x", {"u-guest": "lead", "u-lead": "instructor"})
    series(app, "2027-03-15T14:00", offering="off-a")
    with pytest.raises(Conflict) as refused:
        series(app, "2027-03-15T14:30", offering="off-x", who=Person("u-guest"))
    (clash,) = refused.value.extra["conflicts"]
    assert clash["busy"] is True and clash["instructors"] == ["u-lead"]
    assert (clash["conflicting_offering_id"], clash["conflicting_session_id"],
            clash["conflicting_title"]) == (None, None, None)
    assert clash["conflicting_start"] == "2027-03-15T14:00:00Z"
    with pytest.raises(Conflict) as seen:
        series(app, "2027-03-15T14:30", offering="off-x")
    assert seen.value.extra["conflicts"][0]["conflicting_title"] == "Sutures"
    assert seen.value.extra["conflicts"][0]["busy"] is False


def test_the_cohort_cannot_sit_two_sessions_at_once_but_back_to_back_is_fine():
    app = world()
    series(app, "2027-03-15T14:00", offering="off-a")
    series(app, "2027-03-15T15:00", offering="off-a", instructors=("u-ta",))
    with pytest.raises(Conflict) as refused:
        series(app, "2027-03-15T14:59", offering="off-a", instructors=("u-ta",), minutes=30)
    reasons = sorted(tuple(c["reasons"]) for c in refused.value.extra["conflicts"])
    assert reasons == [("cohort",), ("cohort", "instructor")]


def test_instructors_must_be_on_the_faculty_and_students_cannot_schedule():
    app = world()
    with pytest.raises(Forbidden):
        series(app, who=STUDENT)
    with pytest.raises(Exception, match="faculty"):
        series(app, instructors=("u-other",))
    assert app.sessions.rows == {}


def test_reschedule_this_and_following_keeps_the_rhythm_and_bumps_sequence():
    app = world()
    _series_id, sessions = series(app, count=3)
    changed = scheduling.reschedule(app, LEAD, sessions[1].id,
                                    {"start": datetime(2027, 3, 23, 15, 0)}, "following",
                                    lambda _s: None)
    assert [s.id for s in changed] == [sessions[1].id, sessions[2].id]
    assert [s.start for s in changed] == [utc("2027-03-23T15:00"), utc("2027-03-30T14:00")]
    assert [s.sequence for s in changed] == [1, 1]
    assert app.sessions.get(sessions[0].id).sequence == 0
    assert [e.type for e in app.sessions.events[3:]] == [SESSION_RESCHEDULED] * 2


def test_a_title_change_also_bumps_sequence_and_a_stale_version_is_refused():
    app = world()
    _series_id, (only,) = series(app)

    def stale(session):
        raise Conflict("precondition", "stale")
    with pytest.raises(Conflict):
        scheduling.reschedule(app, LEAD, only.id, {"title": "Knots"}, "this", stale)
    (edited,) = scheduling.reschedule(app, LEAD, only.id, {"title": "Knots"}, "this",
                                      lambda _s: None)
    assert edited.title == "Knots" and edited.sequence == 1 and edited.start == only.start


def test_cancel_is_final_and_idempotent():
    app = world()
    _series_id, sessions = series(app, count=2)
    main, changed = scheduling.cancel(app, LEAD, sessions[0].id, "following", lambda _s: None)
    assert main.status == "cancelled" and main.sequence == 1
    assert [s.id for s in changed] == [s.id for s in sessions]
    assert [e.type for e in app.sessions.events[2:]] == [SESSION_CANCELLED] * 2
    again, unchanged = scheduling.cancel(app, LEAD, sessions[0].id, "this", lambda _s: None)
    assert unchanged == [] and again.sequence == 1 and len(app.sessions.events) == 4
    with pytest.raises(Conflict) as refused:
        scheduling.reschedule(app, LEAD, sessions[0].id, {"title": "Back"}, "this",
                              lambda _s: None)
    assert refused.value.code == "cancelled"


def test_a_cancelled_offering_cancels_its_scheduled_sessions_once():
    app = world()
    series(app, count=3)
    payload = {"offering_id": "off-a", "course_id": "crs-off-a",
               "provider_institution_id": "ins", "timezone": LONDON,
               "starts_on": date(2027, 1, 1), "ends_on": date(2027, 6, 1),
               "status": "cancelled", "version": 2, "faculty": []}
    assert readmodels.record_offering(app, payload) == 3
    assert readmodels.record_offering(app, payload) == 0
    with pytest.raises(Conflict) as refused:
        series(app, "2027-05-03T14:00")
    assert refused.value.code == "offering_cancelled"


def test_a_busy_lease_stores_nothing():
    app = world()
    app.lease.busy = True
    with pytest.raises(ScheduleBusy):
        series(app)
    assert app.sessions.rows == {}


def test_joining_opens_fifteen_minutes_before_and_closes_at_the_end():
    clock = FakeClock()
    app = world(clock)
    _series_id, (session,) = series(app, "2027-03-15T14:00")
    clock.at = session.start - timedelta(minutes=16)
    with pytest.raises(Conflict) as early:
        joining.join(app, STUDENT, session.id)
    assert early.value.code == "too_early"
    assert early.value.extra["opens_at"] == "2027-03-15T13:45:00Z"
    clock.at = session.start - timedelta(minutes=15)
    admitted = joining.join(app, STUDENT, session.id)
    assert admitted.role == "student" and "u-stu" in admitted.url
    assert [j.id for j in app.attendance.joins] == [admitted.attendance_id]
    assert joining.join(app, Person("u-ta"), session.id).role == "ta"
    clock.at = session.end
    with pytest.raises(Conflict) as ended:
        joining.join(app, STUDENT, session.id)
    assert ended.value.code == "ended" and len(app.attendance.joins) == 2


def test_only_the_roster_and_faculty_join():
    clock = FakeClock()
    app = world(clock)
    _series_id, (session,) = series(app, "2027-03-15T14:00")
    clock.at = session.start
    app.rosters.entries["off-a", "u-wait"] = {"status": "waitlisted", "enrollments": []}
    for outsider in (Person("u-wait"), Person("u-admin", frozenset({"admin"}))):
        with pytest.raises(Forbidden):
            joining.join(app, outsider, session.id)
    with pytest.raises(NotFound):
        joining.join(app, STUDENT, "ses_missing")
    assert app.attendance.joins == []


def test_the_timetable_merges_studied_and_taught_offerings_in_time_order():
    app = world()
    series(app, "2027-03-16T09:00", count=2, offering="off-b", who=OTHER,
           instructors=("u-other",))
    series(app, "2027-03-15T14:00", count=2, offering="off-a", frequency="daily")
    app.rosters.confirm("off-a", "u-other")
    window = Window(begin=utc("2027-03-01T00:00"), until=utc("2027-03-20T00:00"), page=1,
                    per_page=10)
    mine = reading.timetable(app, "u-other", window)
    assert mine.total == 3
    assert [(s.offering_id, mine.role_in(s)) for s in mine.sessions] == [
        ("off-a", "student"), ("off-b", "faculty"), ("off-a", "student")]
    assert reading.timetable(app, "u-stu", window).total == 2
    assert reading.timetable(app, "u-nobody", window).total == 0
    paged = reading.timetable(app, "u-other", Window(window.begin, window.until, 2, 2))
    assert paged.total == 3 and [s.offering_id for s in paged.sessions] == ["off-a"]


def test_a_withdrawal_then_a_new_enrollment_keeps_the_student_on_the_roster():
    app = world()
    base = {"offering_id": "off-c", "student_id": "u-new", "institution_id": "ins-1"}
    assert readmodels.record_enrollment(app, {**base, "enrollment_id": "e1",
                                              "status": "confirmed", "version": 1})
    assert readmodels.record_enrollment(app, {**base, "enrollment_id": "e1",
                                              "status": "withdrawn", "version": 2})
    assert not app.rosters.is_confirmed("off-c", "u-new")
    assert not readmodels.record_enrollment(app, {**base, "enrollment_id": "e1",
                                                  "status": "confirmed", "version": 1})
    assert readmodels.record_enrollment(app, {**base, "enrollment_id": "e2",
                                              "status": "confirmed", "version": 1})
    assert app.rosters.is_confirmed("off-c", "u-new")
    assert len(app.rosters.entry("off-c", "u-new")["enrollments"]) == 2


def test_session_events_name_the_time_a_session_moved_from_and_why_it_was_cancelled():
    from meridian_classroom.events.payloads import session_event

    app = world()
    _series_id, (only,) = series(app)
    scheduling.reschedule(app, LEAD, only.id, {"start": datetime(2027, 3, 16, 9, 0)}, "this",
                          lambda _s: None)
    moved = session_event(app.sessions.events[-1])["data"]
    assert (moved["previous_start"], moved["start"]) == ("2027-03-15T14:00:00+00:00",
                                                         "2027-03-16T09:00:00+00:00")
    assert moved["uid"] == f"{only.id}@meridian" and moved["sequence"] == 1
    payload = {"offering_id": "off-a", "course_id": "crs-off-a",
               "provider_institution_id": "ins", "timezone": LONDON,
               "starts_on": date(2027, 1, 1), "ends_on": date(2027, 6, 1),
               "status": "cancelled", "version": 2, "faculty": []}
    readmodels.record_offering(app, payload)
    cancelled = session_event(app.sessions.events[-1])["data"]
    assert cancelled["reason"] == "offering_cancelled" and cancelled["previous_start"] is None
