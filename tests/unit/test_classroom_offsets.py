"""Offset timelines find each zone's changes to the minute."""

from datetime import UTC, datetime

from meridian_classroom.domain.offsets import OffsetTimeline, epoch_minutes


def minute(*parts):
    return epoch_minutes(datetime(*parts, tzinfo=UTC))


def test_london_spring_change_is_found_to_the_minute():
    line = OffsetTimeline("Europe/London", datetime(2026, 3, 1, tzinfo=UTC),
                          datetime(2026, 4, 30, tzinfo=UTC))
    assert line.changes == [minute(2026, 3, 29, 1, 0)]
    assert line.offset(minute(2026, 3, 29, 0, 59)) == 0
    assert line.offset(minute(2026, 3, 29, 1, 0)) == 60


def test_lord_howe_half_hour_change_and_a_zone_without_changes():
    line = OffsetTimeline("Australia/Lord_Howe", datetime(2026, 9, 20, tzinfo=UTC),
                          datetime(2026, 10, 20, tzinfo=UTC))
    assert line.changes == [minute(2026, 10, 3, 15, 30)]
    assert (line.offsets[0], line.offsets[1]) == (630, 660)
    flat = OffsetTimeline("Asia/Kathmandu", datetime(2026, 1, 1, tzinfo=UTC),
                          datetime(2026, 12, 31, tzinfo=UTC))
    assert flat.changes == [] and flat.offset(minute(2026, 6, 1)) == 345
