"""Enrollment events keep the catalog's seat ledger (seats_taken, waitlist_length) current."""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent, utcnow
from meridian_common.messaging.consumer import Handler

from ..models import SeatLedgerEntry


def record_enrollment_state(event: ReceivedEvent, payload: dict) -> None:
    """Keep the newest known state of one enrollment; older or repeated versions change nothing."""
    collection = SeatLedgerEntry._get_collection()
    entry_id = payload["enrollment_id"]
    current = collection.find_one({"_id": entry_id}, {"version": 1})
    if current is not None and current["version"] >= payload["version"]:
        return
    collection.replace_one(
        {"_id": entry_id},
        {"offering_id": payload["offering_id"], "status": payload["status"],
         "version": payload["version"], "updated_at": utcnow()},
        upsert=True,
    )


ENROLLMENT_TYPES = ("confirmed", "waitlisted", "applied", "promoted", "withdrawn", "cancelled")
HANDLERS: dict[str, Handler] = {
    f"lms.enrollment.{kind}.v1": record_enrollment_state for kind in ENROLLMENT_TYPES
}
