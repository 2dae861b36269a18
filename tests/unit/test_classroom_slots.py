"""Fair-hours ranking on small cases checked by hand, DST included, and fair rotations."""

from datetime import date, time, timedelta

import pytest

from meridian_classroom.domain.rotation import plan
from meridian_classroom.domain.slots import SlotQuery, evaluate, parse_hhmm, rank


def days(first: date, count: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range(count))


def query(first=date(2026, 1, 12), count=2, anchor="Europe/London", minutes=60, step=60):
    return SlotQuery(anchor_zone=anchor, days=days(first, count), duration_minutes=minutes,
                     earliest=8 * 60, latest=21 * 60, step_minutes=step)


GROUPS = {"Europe/London": 2, "Asia/Shanghai": 3, "America/New_York": 1}


def test_ranking_of_a_hand_checked_winter_case():
    # London = UTC, Shanghai = UTC+8, New York = UTC-5; 60-minute sessions inside 08-21 local.
    # 08-12 London: London + Shanghai (5). 00-01: Shanghai + New York evening (4).
    # 02-07 and 13-20: three people each. 21-23: New York alone.
    ranked = rank(query(), GROUPS)
    order = [c.wall_time.hour for c in ranked]
    assert order == [8, 9, 10, 11, 12, 0, 1, 2, 3, 4, 5, 6, 7, 13, 14, 15, 16, 17, 18, 19,
                     20, 21, 22, 23]
    assert [c.covered for c in ranked[:7]] == [5, 5, 5, 5, 5, 4, 4]
    best = ranked[0]
    fits = {f.zone: f for f in best.zones}
    assert fits["Asia/Shanghai"].first_start.isoformat() == "2026-01-12T16:00:00+08:00"
    assert fits["America/New_York"].first_start.isoformat() == "2026-01-12T03:00:00-05:00"
    assert fits["America/New_York"].inside_days == 0
    assert best.participant_days == 5 * 2


def test_a_slot_is_only_covered_for_a_zone_inside_on_every_day_across_dst():
    # London springs forward on 29 March: 13:00 London is 21:00 in Shanghai before, 20:00 after.
    candidate = evaluate(query(date(2026, 3, 26), 6), time(13, 0), {"Asia/Shanghai": 1})
    [fit] = candidate.zones
    assert fit.local_times == ["20:00", "21:00"]
    assert fit.inside_days == 3 and not fit.inside_every_day(6)
    assert candidate.covered == 0 and candidate.participant_days == 3
    noon = evaluate(query(date(2026, 3, 26), 6), time(12, 0), {"Asia/Shanghai": 1})
    assert noon.covered == 1


def test_start_times_that_do_not_exist_on_some_day_are_not_offered():
    ranked = rank(query(date(2026, 3, 27), 4, step=30), {"Europe/London": 1})
    offered = {c.wall_time for c in ranked}
    assert time(1, 0) not in offered and time(1, 30) not in offered
    assert time(0, 30) in offered and time(2, 0) in offered
    assert len(ranked) == 48 - 2


def test_a_southern_zone_and_a_zone_without_dst_over_sydney_autumn():
    # Sydney leaves DST on 5 April 2026: 18:00 Sydney is 15:00 in Shanghai, then 16:00.
    candidate = evaluate(query(date(2026, 4, 3), 4, anchor="Australia/Sydney"), time(18, 0),
                         {"Asia/Shanghai": 1, "Australia/Sydney": 1})
    fits = {f.zone: f for f in candidate.zones}
    assert fits["Asia/Shanghai"].local_times == ["15:00", "16:00"]
    assert fits["Australia/Sydney"].local_times == ["18:00"]
    assert candidate.covered == 2


def test_rotation_shares_the_bad_hour_between_three_zones():
    # No hour suits London, Los Angeles and Shanghai together; each slot below hurts one zone.
    groups = {"Europe/London": 1, "America/Los_Angeles": 1, "Asia/Shanghai": 1}
    ranked = rank(query(anchor="UTC"), groups)
    assert ranked[0].covered == 2
    rotation = plan(ranked, occurrences=6, days=2)
    assert rotation is not None
    assert [s.wall_time.hour for s in rotation.slots] == [0, 8, 16]
    assert rotation.worst_share_outside == pytest.approx(1 / 3)
    assert rotation.share_outside == pytest.approx(dict.fromkeys(groups, 1 / 3))


def test_no_rotation_when_one_slot_suits_everyone_or_there_is_one_session():
    ranked = rank(query(), {"Europe/London": 3, "Europe/Paris": 2})
    assert ranked[0].covered == 5
    assert plan(ranked, occurrences=8, days=2) is None
    assert plan(rank(query(), GROUPS), occurrences=1, days=2) is None


def test_two_sessions_can_only_rotate_two_slots():
    groups = {"Europe/London": 1, "America/Los_Angeles": 1, "Asia/Shanghai": 1}
    rotation = plan(rank(query(anchor="UTC"), groups), occurrences=2, days=2)
    assert len(rotation.slots) == 2 and rotation.worst_share_outside == pytest.approx(0.5)


@pytest.mark.parametrize("text,minutes", [("08:00", 480), ("21:30", 1290), ("24:00", 1440)])
def test_clock_times(text, minutes):
    assert parse_hhmm(text) == minutes


@pytest.mark.parametrize("text", ["8:00", "24:01", "12:60", "ab:cd", "12"])
def test_bad_clock_times(text):
    with pytest.raises(ValueError):
        parse_hhmm(text)
