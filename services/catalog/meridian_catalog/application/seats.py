"""The seat-count read model: enrollment states in, seat figures out."""

from __future__ import annotations

from ..domain.offerings import Offering, seat_summary
from .ports import CatalogPorts


def record_enrollment_state(ports: CatalogPorts, payload: dict) -> bool:
    """Keep the newest known state of one enrollment; older or repeated versions change nothing."""
    return ports.seats.record(payload["enrollment_id"], payload["offering_id"],
                              payload["status"], payload["version"])


def recount_seats(ports: CatalogPorts, offering_ids: list[str]) -> None:
    """After a batch of enrollment events: make the offerings' seat figures reflect them."""
    if offering_ids:
        ports.seats.recount(offering_ids)


def seat_figures(ports: CatalogPorts, offerings: list[Offering]) -> dict[str, dict]:
    """Per offering id: `seats_taken`, `seats_available` and `waitlist_length`."""
    counts = ports.seats.counts([o.id for o in offerings])
    return {o.id: seat_summary(o.capacity, counts[o.id]["confirmed"], counts[o.id]["waitlisted"])
            for o in offerings}
