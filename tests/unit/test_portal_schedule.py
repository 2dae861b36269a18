"""The schedule form: checks, the API body, and the preview's DST marks."""

from meridian_portal.conflicts import conflict_lines
from meridian_portal.schedule import (
    api_body,
    default_instructors,
    faculty_choices,
    form_errors,
    preview,
)

FORM = {"kind": "workshop", "title": " Suturing ", "start": "2027-03-22T08:00",
        "timezone": "Europe/London", "duration_minutes": "90", "repeat": "weekly", "count": "3",
        "instructors": ["oxford-lead", "oxford-ta", "oxford-lead"]}


def test_a_good_form_maps_to_the_api_body():
    assert form_errors(FORM) == {}
    assert api_body(FORM) == {
        "kind": "workshop", "title": "Suturing", "start": "2027-03-22T08:00",
        "timezone": "Europe/London", "duration_minutes": 90,
        "instructors": ["oxford-lead", "oxford-ta"],
        "repeat": {"frequency": "weekly", "count": 3}}


def test_no_repeat_sends_null():
    assert api_body({**FORM, "repeat": "none"})["repeat"] is None


def test_bad_fields_are_named():
    errors = form_errors({**FORM, "kind": "party", "title": " ", "start": "tomorrow",
                          "duration_minutes": "1.5", "count": "many", "instructors": []})
    assert set(errors) == {"kind", "title", "start", "duration_minutes", "repeat.count",
                           "instructors"}


def test_weekly_series_across_the_uk_clock_change_marks_the_shift_in_china():
    # London moves to BST on 2027-03-28: 08:00 London stays 08:00 there, but becomes 15:00
    # instead of 16:00 in Shanghai.
    rows = preview("2027-03-22T08:00", "Europe/London", "weekly", 3,
                   ["Europe/London", "Asia/Shanghai"])
    london = [r.views[0] for r in rows]
    shanghai = [r.views[1] for r in rows]
    assert [v.start.hour for v in london] == [8, 8, 8]
    assert [v.shifted for v in london] == [False, True, True]
    assert [v.start.hour for v in shanghai] == [16, 15, 15]
    assert [v.shifted for v in shanghai] == [False, True, True]


def test_a_start_inside_the_spring_gap_is_flagged():
    rows = preview("2027-03-28T01:30", "Europe/London", None, 1, ["Europe/London"])
    assert rows[0].gap is True


def test_the_picker_offers_the_courses_faculty_lead_first_and_picks_the_viewer():
    faculty = [{"user_id": "ta-1", "role": "ta"}, {"user_id": "lead", "role": "lead"},
               {"user_id": "me", "role": "instructor"}]
    choices = faculty_choices(faculty, "me")
    assert [c["user_id"] for c in choices] == ["lead", "me", "ta-1"]
    assert default_instructors(choices) == ["me"]
    # An admin who does not teach the course schedules for its lead by default.
    assert default_instructors(faculty_choices(faculty, "platform-admin")) == ["lead"]
    # Faculty unknown (the course could not be read): the viewer alone.
    assert faculty_choices([], "me") == [{"user_id": "me", "role": "instructor", "me": True}]


def test_conflicts_are_numbered_from_one_like_the_preview():
    # The API numbers occurrences by their index in the series, from 0; the preview table
    # (and people) count from 1. Two different dates must never both read "Occurrence 1".
    lines = conflict_lines([
        {"occurrence": 0, "start": "2027-03-22T08:00:00Z", "reasons": ["cohort"],
         "conflicting_title": "Suturing", "conflicting_start": "2027-03-22T08:00:00Z"},
        {"occurrence": 1, "start": "2027-03-29T07:00:00Z", "reasons": ["cohort", "instructor"],
         "conflicting_title": None, "conflicting_occurrence": 0,
         "conflicting_start": "2027-03-29T07:00:00Z"},
        {"session_id": "ses_1", "start": "2027-04-05T07:00:00Z", "reasons": ["instructor"],
         "conflicting_start": "2027-04-05T07:30:00Z"}])
    assert [line.number for line in lines] == [1, 2, None]
    assert lines[1].other_number == 1 and lines[1].other_title is None
    assert lines[1].reasons == ("cohort", "instructor")


def test_a_hidden_session_of_another_offering_reads_as_busy():
    lines = conflict_lines([
        {"occurrence": 0, "start": "2027-03-22T08:00:00Z", "reasons": ["instructor"],
         "busy": True, "conflicting_title": None, "conflicting_offering_id": None,
         "conflicting_start": "2027-03-22T08:00:00Z"},
        {"occurrence": 1, "start": "2027-03-29T08:00:00Z", "reasons": ["cohort"],
         "busy": False, "conflicting_title": "Suturing",
         "conflicting_start": "2027-03-29T08:00:00Z"}])
    assert [line.busy for line in lines] == [True, False]
    assert lines[1].other_title == "Suturing"


def test_invitees_are_not_offered_as_instructors():
    faculty = [{"user_id": "lead", "role": "lead", "status": "active"},
               {"user_id": "guest", "role": "instructor", "status": "invited"}]
    assert [c["user_id"] for c in faculty_choices(faculty, "lead")] == ["lead"]
