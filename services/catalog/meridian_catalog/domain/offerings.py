"""The offering aggregate and its rules: dates, windows, eligibility and capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.types import OFFERING_CANCELLED, OFFERING_OPENED, OFFERING_UPDATED

from .change import Change
from .refusals import Invalid

SCHEDULE = ("starts_on", "ends_on", "enrollment_opens_at", "enrollment_closes_at")


@dataclass
class Offering:
    """A cohort of a course with dates, capacity, an enrollment window and eligibility."""

    id: str
    course_id: str
    provider_institution_id: str
    term: str
    starts_on: date
    ends_on: date
    timezone: str
    capacity: int
    enrollment_opens_at: datetime
    enrollment_closes_at: datetime
    selection: str
    waitlist: bool
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    eligibility: dict | None = None
    cancelled_at: datetime | None = None


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


def _require_schedule(values: dict) -> None:
    errors = check_schedule(*(values[name] for name in SCHEDULE))
    if errors:
        raise Invalid("The offering's dates are not consistent.", errors)


def _require_known(unknown_institutions: set[str]) -> None:
    if unknown_institutions:
        names = ", ".join(sorted(unknown_institutions))
        raise Invalid("Eligibility names unknown institutions.",
                      {"eligibility": {"institutions": [f"Unknown: {names}."]}})


def open_offering(offering_id: str, course_status: str, provider_institution_id: str,
                  course_id: str, now: datetime, fields: dict,
                  unknown_institutions: set[str]) -> tuple[Offering, Change]:
    """A new open offering of a published course, and the event announcing it."""
    if course_status != "published":
        raise Conflict("invalid_state", "Offerings can only be opened for published courses; "
                                        f"this one is {course_status}.")
    _require_schedule(fields)
    _require_known(unknown_institutions)
    offering = Offering(id=offering_id, course_id=course_id, status="open", version=1,
                        provider_institution_id=provider_institution_id, created_at=now,
                        updated_at=now, **fields)
    return offering, Change({}, (OFFERING_OPENED,))


def edit(offering: Offering, fields: dict, unknown_institutions: set[str],
         seats_confirmed: int | None) -> Change:
    """The change an edit makes; a capacity below the confirmed seats is a conflict."""
    if offering.status == "cancelled":
        raise Conflict("invalid_state", "A cancelled offering cannot be changed.")
    _require_schedule({name: fields.get(name, getattr(offering, name)) for name in SCHEDULE})
    _require_known(unknown_institutions)
    if "capacity" in fields:
        conflict = capacity_conflict(fields["capacity"], seats_confirmed or 0)
        if conflict:
            raise Conflict("capacity_below_confirmed", conflict)
    return Change(dict(fields), (OFFERING_UPDATED,))


def cancel(offering: Offering, now: datetime) -> Change:
    """Cancelling an open offering; its enrollments and sessions follow through the event."""
    if offering.status == "cancelled":
        raise Conflict("invalid_state", "The offering is already cancelled.")
    return Change({"status": "cancelled", "cancelled_at": now}, (OFFERING_CANCELLED,))


def wanted_institutions(eligibility: dict | None) -> set[str]:
    """The institutions an eligibility rule names (to check that they exist)."""
    return set((eligibility or {}).get("institutions") or [])
