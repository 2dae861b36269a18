"""The schedule form: checks, the API body, and the preview's DST marks."""

from meridian_portal.schedule import api_body, form_errors, preview

FORM = {"kind": "workshop", "title": " Suturing ", "start": "2027-03-22T08:00",
        "timezone": "Europe/London", "duration_minutes": "90", "repeat": "weekly", "count": "3"}


def test_a_good_form_maps_to_the_api_body():
    assert form_errors(FORM) == {}
    assert api_body(FORM, "oxford-lead") == {
        "kind": "workshop", "title": "Suturing", "start": "2027-03-22T08:00",
        "timezone": "Europe/London", "duration_minutes": 90, "instructors": ["oxford-lead"],
        "repeat": {"frequency": "weekly", "count": 3}}


def test_no_repeat_sends_null():
    assert api_body({**FORM, "repeat": "none"}, "x")["repeat"] is None


def test_bad_fields_are_named():
    errors = form_errors({**FORM, "kind": "party", "title": " ", "start": "tomorrow",
                          "duration_minutes": "1.5", "count": "many"})
    assert set(errors) == {"kind", "title", "start", "duration_minutes", "repeat.count"}


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
