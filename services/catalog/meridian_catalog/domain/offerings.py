"""Rules for offerings: dates, windows and capacity."""

from __future__ import annotations

from datetime import date, datetime


def check_schedule(starts_on: date, ends_on: date, opens_at: datetime,
                   closes_at: datetime) -> dict[str, list[str]]:
    """Field errors for an offering's dates and enrollment window (empty when consistent)."""
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = ["Must be on or after starts_on."]
    if closes_at <= opens_at:
        errors["enrollment_closes_at"] = ["Must be after enrollment_opens_at."]
    if opens_at.date() > ends_on:
        errors["enrollment_opens_at"] = ["Enrollment must open before the offering ends."]
    return errors


def capacity_conflict(new_capacity: int, seats_taken: int) -> str | None:
    """Why a capacity cannot be lowered, or None when it can."""
    if new_capacity < seats_taken:
        return (f"Capacity {new_capacity} is below the {seats_taken} seats already confirmed; "
                "withdraw enrollments first.")
    return None


def seat_summary(capacity: int, seats_taken: int, waitlist_length: int) -> dict:
    """The public seat figures of an offering."""
    return {"seats_taken": seats_taken,
            "seats_available": max(capacity - seats_taken, 0),
            "waitlist_length": waitlist_length}
