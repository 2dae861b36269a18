"""Rescheduling one session or this-and-following, in wall-clock terms."""

from datetime import UTC, datetime

import pytest

from meridian_classroom.domain.localtime import iso_in_zone
from meridian_classroom.domain.recurrence import ScheduleError
from meridian_classroom.domain.reschedule import Placement, replan, timing_changes


def weekly(first_day, count, hour=14, zone="Europe/London", fold=0, minutes=60):
    return [Placement(wall_start=datetime(2026, 10, first_day + 7 * i, hour, 0), zone=zone,
                      fold=fold, duration_minutes=minutes) for i in range(count)]


def test_following_sessions_keep_their_distance_and_local_time_across_dst():
    moved = replan(weekly(12, 3), start=datetime(2026, 10, 13, 15, 0))
    assert [iso_in_zone(o.start, "Europe/London") for o in moved] == [
        "2026-10-13T15:00:00+01:00", "2026-10-20T15:00:00+01:00", "2026-10-27T15:00:00+00:00"]


def test_moving_to_another_zone_keeps_the_new_zone_wall_clock_each_week():
    moved = replan(weekly(12, 3), start=datetime(2026, 10, 12, 21, 0), zone="Asia/Shanghai")
    assert [o.start for o in moved] == [datetime(2026, 10, d, 13, 0, tzinfo=UTC)
                                        for d in (12, 19, 26)]


def test_a_new_zone_without_a_new_start_is_refused():
    with pytest.raises(ScheduleError) as caught:
        replan(weekly(12, 1), zone="Asia/Shanghai")
    assert "timezone" in caught.value.errors["start"][0]


def test_a_move_into_the_gap_names_the_session():
    placements = [Placement(datetime(2026, 3, 22, 2, 30), "Europe/London", 0, 30),
                  Placement(datetime(2026, 3, 29, 2, 30), "Europe/London", 0, 30)]
    with pytest.raises(ScheduleError) as caught:
        replan(placements, start=datetime(2026, 3, 22, 1, 30))
    [message] = caught.value.errors["start"]
    assert message.startswith("Session on 2026-03-29T01:30: ")


def test_a_new_duration_alone_keeps_a_stored_fold():
    placement = Placement(datetime(2026, 10, 25, 1, 30), "Europe/London", 1, 30)
    [moved] = replan([placement], duration=45)
    assert moved.start == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert (moved.end - moved.start).total_seconds() == 45 * 60


def test_a_new_start_at_an_ambiguous_time_needs_a_fold():
    with pytest.raises(ScheduleError):
        replan(weekly(12, 1), start=datetime(2026, 10, 25, 1, 30))
    [moved] = replan(weekly(12, 1), start=datetime(2026, 10, 25, 1, 30), fold=0)
    assert moved.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_title_only_edits_are_not_timing_changes():
    assert not timing_changes(None, None, None, None)
    assert timing_changes(None, None, None, 30)
