"""The waitlist: tickets that only grow, claimed by insert; positions are ranks among them."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from ..models import WaitlistTicket
from .claims import insert_claim, key

MAX_ATTEMPTS = 100_000


def _collection():
    return WaitlistTicket._get_collection()


def _last_ticket(offering_id: str) -> int:
    row = next(iter(_collection().find({"offering_id": offering_id}, {"ticket": 1})
                    .sort("ticket", -1).limit(1)), None)
    return row["ticket"] if row else 0


def take_ticket(offering_id: str, enrollment_id: str) -> int:
    """The next ticket of the offering's line; every lower ticket exists when this one does."""
    ticket = _last_ticket(offering_id) + 1
    for _ in range(MAX_ATTEMPTS):
        if insert_claim(_collection(), {
                "_id": key(offering_id, ticket), "offering_id": offering_id, "ticket": ticket,
                "enrollment_id": enrollment_id, "created_at": utcnow()}):
            return ticket
        # Someone holds this number, so it exists: the next one is the only candidate left.
        ticket += 1
    raise RuntimeError("waitlist ticket contention did not settle")


def position(offering_id: str, ticket: int) -> int:
    """1 + how many tickets still wait ahead of `ticket`."""
    return _collection().count_documents(
        {"offering_id": offering_id, "ticket": {"$lt": ticket}}) + 1


def line(offering_id: str, limit: int = 0) -> list[dict]:
    """The still-waiting tickets of an offering, head first."""
    cursor = _collection().find({"offering_id": offering_id},
                                {"ticket": 1, "enrollment_id": 1, "created_at": 1})
    cursor = cursor.sort("ticket", 1)
    return list(cursor.limit(limit) if limit else cursor)


def anyone_waiting(offering_id: str) -> bool:
    """Whether the offering's line is non-empty."""
    return _collection().count_documents({"offering_id": offering_id}, limit=1) > 0


def leave(enrollment_id: str) -> None:
    """Drop the tickets `enrollment_id` holds (it was promoted, withdrew or was cancelled)."""
    _collection().delete_many({"enrollment_id": enrollment_id})
