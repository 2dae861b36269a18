"""Series keep their local wall-clock time across DST changes in either hemisphere."""

from datetime import UTC, datetime, time, timedelta

import pytest

from meridian_classroom.domain.localtime import iso_in_zone
from meridian_classroom.domain.recurrence import MAX_OCCURRENCES, ScheduleError, expand


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_weekly_london_lecture_stays_at_14_00_across_the_autumn_change():
    series = expand(datetime(2026, 10, 12, 14, 0), "Europe/London", 90, "weekly", 4)
    assert [o.start for o in series] == [utc(2026, 10, 12, 13), utc(2026, 10, 19, 13),
                                         utc(2026, 10, 26, 14), utc(2026, 11, 2, 14)]
    assert {iso_in_zone(o.start, "Europe/London")[11:16] for o in series} == {"14:00"}
    assert all(o.end - o.start == timedelta(minutes=90) for o in series)


def test_weekly_london_lecture_stays_at_09_00_across_the_spring_change():
    series = expand(datetime(2026, 3, 16, 9, 0), "Europe/London", 60, "weekly", 3)
    assert [o.start for o in series] == [utc(2026, 3, 16, 9), utc(2026, 3, 23, 9),
                                         utc(2026, 3, 30, 8)]


def test_oxford_lectures_move_an_hour_earlier_in_changchun_when_britain_springs_forward():
    series = expand(datetime(2026, 3, 26, 9, 0), "Europe/London", 60, "daily", 5)
    in_changchun = [iso_in_zone(o.start, "Asia/Shanghai") for o in series]
    assert in_changchun == ["2026-03-26T17:00:00+08:00", "2026-03-27T17:00:00+08:00",
                            "2026-03-28T17:00:00+08:00", "2026-03-29T16:00:00+08:00",
                            "2026-03-30T16:00:00+08:00"]


def test_sydney_series_across_southern_autumn_and_spring():
    autumn = expand(datetime(2026, 3, 30, 18, 0), "Australia/Sydney", 60, "weekly", 2)
    assert [o.start for o in autumn] == [utc(2026, 3, 30, 7), utc(2026, 4, 6, 8)]
    spring = expand(datetime(2026, 9, 28, 18, 0), "Australia/Sydney", 60, "weekly", 2)
    assert [o.start for o in spring] == [utc(2026, 9, 28, 8), utc(2026, 10, 5, 7)]


def test_zone_without_dst_keeps_the_same_utc_time_all_year():
    series = expand(datetime(2026, 3, 16, 9, 0), "Asia/Shanghai", 60, "weekly", 33)
    assert {o.start.time() for o in series} == {time(1, 0)}


def test_a_daily_series_running_into_the_spring_gap_names_the_bad_session():
    with pytest.raises(ScheduleError) as caught:
        expand(datetime(2026, 3, 27, 1, 30), "Europe/London", 30, "daily", 5)
    [message] = caught.value.errors["start"]
    assert message.startswith("Session 3 (2026-03-29T01:30): ")
    assert "does not exist" in message


def test_a_series_crossing_the_autumn_fold_needs_fold_and_then_uses_it():
    with pytest.raises(ScheduleError) as caught:
        expand(datetime(2026, 10, 23, 1, 30), "Europe/London", 30, "daily", 4)
    assert "Session 3 (2026-10-25T01:30)" in caught.value.errors["start"][0]
    series = expand(datetime(2026, 10, 23, 1, 30), "Europe/London", 30, "daily", 4, fold=1)
    assert [o.start for o in series] == [utc(2026, 10, 23, 0, 30), utc(2026, 10, 24, 0, 30),
                                         utc(2026, 10, 25, 1, 30), utc(2026, 10, 26, 1, 30)]


def test_duration_is_elapsed_time_even_when_the_clocks_change_during_the_session():
    [session] = expand(datetime(2026, 10, 25, 0, 30), "Europe/London", 180)
    assert session.end - session.start == timedelta(hours=3)
    assert iso_in_zone(session.end, "Europe/London") == "2026-10-25T02:30:00+00:00"


@pytest.mark.parametrize("count", [0, MAX_OCCURRENCES + 1, 1000])
def test_repeat_count_is_capped(count):
    with pytest.raises(ScheduleError) as caught:
        expand(datetime(2026, 5, 4, 9, 0), "Europe/London", 60, "weekly", count)
    assert "count" in caught.value.errors["repeat"]


def test_the_cap_itself_is_allowed():
    assert len(expand(datetime(2026, 1, 5, 9), "UTC", 60, "weekly", MAX_OCCURRENCES)) == 52


@pytest.mark.parametrize("minutes", [-30, 0, 4, 721, 10_000])
def test_durations_that_are_not_positive_or_absurdly_long_are_refused(minutes):
    with pytest.raises(ScheduleError) as caught:
        expand(datetime(2026, 5, 4, 9, 0), "Europe/London", minutes)
    assert "duration_minutes" in caught.value.errors
