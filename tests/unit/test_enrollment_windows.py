"""Enrollment windows and when a lottery may be drawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from meridian_enrollment.domain.refusals import CONFLICT, UNPROCESSABLE
from meridian_enrollment.domain.windows import draw_refusal, window_refusal

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OPENS, CLOSES = NOW - timedelta(days=1), NOW + timedelta(days=1)


def test_open_window_admits():
    assert window_refusal("open", OPENS, CLOSES, NOW) is None


def test_before_opening_is_unprocessable():
    refusal = window_refusal("open", NOW + timedelta(seconds=1), CLOSES, NOW)
    assert (refusal.kind, refusal.code) == (UNPROCESSABLE, "enrollment_not_open")


def test_closing_instant_is_already_closed():
    refusal = window_refusal("open", OPENS, NOW, NOW)
    assert (refusal.kind, refusal.code) == (UNPROCESSABLE, "enrollment_closed")
    assert "2026-03-01T12:00:00Z" in refusal.detail


def test_cancelled_offering_takes_no_enrollment():
    assert window_refusal("cancelled", OPENS, CLOSES, NOW).code == "offering_not_open"


def test_naive_datetimes_from_the_driver_count_as_utc():
    naive_closes = (NOW - timedelta(minutes=1)).replace(tzinfo=None)
    assert window_refusal("open", OPENS.replace(tzinfo=None), naive_closes, NOW).code \
        == "enrollment_closed"


def test_draw_only_for_lotteries_after_the_window():
    assert draw_refusal("open", "lottery", NOW, NOW) is None
    assert draw_refusal("open", "lottery", CLOSES, NOW).code == "enrollment_window_open"
    assert draw_refusal("open", "first_come", OPENS, NOW).code == "not_a_lottery"
    refusal = draw_refusal("cancelled", "lottery", OPENS, NOW)
    assert (refusal.kind, refusal.code) == (CONFLICT, "offering_not_open")
