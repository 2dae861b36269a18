"""Local wall-clock times in IANA zones: gaps, folds, both hemispheres, zones without DST."""

from datetime import UTC, datetime

import pytest

from meridian_classroom.domain.localtime import (
    LocalTimeError,
    is_ambiguous,
    is_nonexistent,
    iso_in_zone,
    to_utc,
    zone,
)


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_london_spring_gap_is_refused_with_a_clear_reason():
    with pytest.raises(LocalTimeError) as caught:
        to_utc(datetime(2026, 3, 29, 1, 30), "Europe/London")
    assert caught.value.kind == "nonexistent"
    assert "2026-03-29T01:30 does not exist in Europe/London" in str(caught.value)
    assert "60 minutes" in str(caught.value)


def test_london_autumn_fold_needs_a_choice_and_each_choice_is_one_instant():
    wall = datetime(2026, 10, 25, 1, 30)
    with pytest.raises(LocalTimeError) as caught:
        to_utc(wall, "Europe/London")
    assert caught.value.kind == "ambiguous"
    assert "fold 0" in str(caught.value) and "UTC+01:00" in str(caught.value)
    assert to_utc(wall, "Europe/London", 0) == utc(2026, 10, 25, 0, 30)
    assert to_utc(wall, "Europe/London", 1) == utc(2026, 10, 25, 1, 30)


def test_times_next_to_the_changes_are_ordinary():
    assert to_utc(datetime(2026, 3, 29, 0, 59), "Europe/London") == utc(2026, 3, 29, 0, 59)
    assert to_utc(datetime(2026, 3, 29, 2, 0), "Europe/London") == utc(2026, 3, 29, 1, 0)
    assert to_utc(datetime(2026, 10, 25, 2, 0), "Europe/London") == utc(2026, 10, 25, 2, 0)


def test_sydney_southern_autumn_fold_and_spring_gap():
    # Clocks go back on the first Sunday of April and forward on the first Sunday of October.
    wall = datetime(2026, 4, 5, 2, 30)
    assert is_ambiguous(wall, zone("Australia/Sydney"))
    assert to_utc(wall, "Australia/Sydney", 0) == utc(2026, 4, 4, 15, 30)
    assert to_utc(wall, "Australia/Sydney", 1) == utc(2026, 4, 4, 16, 30)
    with pytest.raises(LocalTimeError) as caught:
        to_utc(datetime(2026, 10, 4, 2, 30), "Australia/Sydney")
    assert caught.value.kind == "nonexistent"


def test_half_hour_shift_of_lord_howe_is_reported_as_such():
    with pytest.raises(LocalTimeError) as caught:
        to_utc(datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe")
    assert "30 minutes" in str(caught.value)


def test_zone_without_dst_never_refuses():
    shanghai = zone("Asia/Shanghai")
    for wall in (datetime(2026, 3, 29, 1, 30), datetime(2026, 10, 25, 1, 30)):
        assert not is_ambiguous(wall, shanghai) and not is_nonexistent(wall, shanghai)
    assert to_utc(datetime(2026, 3, 29, 1, 30), "Asia/Shanghai") == utc(2026, 3, 28, 17, 30)


def test_fold_is_ignored_where_the_time_is_unambiguous():
    assert to_utc(datetime(2026, 7, 1, 14, 0), "Europe/London", 1) == utc(2026, 7, 1, 13, 0)


def test_years_outside_the_supported_range_are_refused():
    with pytest.raises(LocalTimeError) as caught:
        to_utc(datetime(1999, 12, 31, 23, 0), "Europe/London")
    assert caught.value.kind == "out_of_range"


def test_local_rendering_carries_the_offset_of_that_day():
    assert iso_in_zone(utc(2026, 3, 27, 9, 0), "Asia/Shanghai") == "2026-03-27T17:00:00+08:00"
    assert iso_in_zone(utc(2026, 3, 30, 8, 0), "Europe/London") == "2026-03-30T09:00:00+01:00"
    assert iso_in_zone(utc(2026, 1, 5, 9, 0), "Asia/Kathmandu") == "2026-01-05T14:45:00+05:45"
