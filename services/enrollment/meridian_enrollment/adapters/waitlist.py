"""Waitlist on MongoDB: tickets unique per (offering_id, ticket), never reused, and departures.

Tickets 1, 2, 3, ... are claimed by insert and never deleted, and a ticket is only tried once
the one below it is known to exist, so tickets 1..t all exist when t does. The highest ticket
this process knows to exist is remembered (claim_hints.py), so joining the line does not sort
the offering's tickets first; the read comes back after a few refused inserts in a row.
Leaving the line inserts a departure; a ticket's position is t minus the departures below
it: gap-free, and derived rather than stored, so no document is rewritten when the line moves.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING

from meridian_common.events.envelope import utcnow

from ..application.ports import Ticket
from ..domain.seats import positions
from .claim_hints import ClaimHints
from .claims import CollectionOf, insert_claim, offering_lock
from .documents import DepartureClaim, TicketClaim

MAX_ATTEMPTS = 100_000
# Refused tickets in a row before reading the highest one. Each of the other processes joining
# the line meanwhile costs one refusal; a read sorts every ticket of the offering.
MAX_MISSES = 8


class MongoWaitlist:
    """An offering's line of waiting enrollments."""

    _tickets = CollectionOf(TicketClaim)
    _departures = CollectionOf(DepartureClaim)

    def __init__(self, hints: ClaimHints | None = None):
        self._hints = hints or ClaimHints()

    def _last(self, offering_id: str) -> int:
        row = self._tickets.find_one({"offering_id": offering_id}, {"ticket": 1},
                                     sort=[("offering_id", ASCENDING), ("ticket", DESCENDING)])
        last = row["ticket"] if row else 0
        self._hints.saw_ticket(offering_id, last)
        return last

    def append(self, offering_id: str, enrollment_id: str) -> int:
        """The next ticket of the offering's line."""
        with offering_lock(offering_id):
            known = self._hints.last_ticket(offering_id)
            ticket = (self._last(offering_id) if known is None else known) + 1
            for attempt in range(1, MAX_ATTEMPTS):
                if insert_claim(self._tickets, {"offering_id": offering_id, "ticket": ticket,
                                                "enrollment_id": enrollment_id,
                                                "created_at": utcnow()}):
                    self._hints.saw_ticket(offering_id, ticket)
                    return ticket
                # Someone holds this number, so it exists: the next may be free.
                self._hints.saw_ticket(offering_id, ticket)
                ticket = (self._last(offering_id) if attempt % MAX_MISSES == 0 else ticket) + 1
        raise RuntimeError("waitlist ticket contention did not settle")

    def _departed(self, offering_id: str) -> set[int]:
        return {row["ticket"] for row in self._departures.find({"offering_id": offering_id},
                                                               {"ticket": 1, "_id": 0})}

    def position(self, offering_id: str, ticket: int) -> int:
        """1 + how many tickets below `ticket` still wait."""
        return ticket - self._departures.count_documents(
            {"offering_id": offering_id, "ticket": {"$lt": ticket}})

    def remove(self, offering_id: str, ticket: int | None, enrollment_id: str) -> bool:
        """Record that `ticket` left the line; False when it had already left."""
        if ticket is None:
            return False
        return insert_claim(self._departures, {"offering_id": offering_id, "ticket": ticket,
                                               "enrollment_id": enrollment_id,
                                               "created_at": utcnow()})

    def head(self, offering_id: str, limit: int) -> list[Ticket]:
        """The first `limit` waiting tickets, head first."""
        departed = self._departed(offering_id)
        waiting: list[Ticket] = []
        for row in self._tickets.find({"offering_id": offering_id}).sort("ticket", ASCENDING):
            if row["ticket"] not in departed:
                waiting.append(Ticket(row["ticket"], row["enrollment_id"], row["created_at"]))
                if len(waiting) >= limit:
                    break
        return waiting

    def anyone_waiting(self, offering_id: str) -> bool:
        """Whether the offering's line is non-empty."""
        known = self._hints.last_ticket(offering_id)
        departed = None
        if known:
            departed = self._departures.count_documents({"offering_id": offering_id})
            if known > departed:
                return True  # ticket `known` and all below it exist; fewer have left
        issued = self._last(offering_id)
        if issued == 0:
            return False
        if departed is None:
            departed = self._departures.count_documents({"offering_id": offering_id})
        return issued > departed

    def positions(self, offering_id: str) -> dict[int, int]:
        """Position of every waiting ticket."""
        departed = self._departed(offering_id)
        return positions([row["ticket"] for row in self._tickets.find(
            {"offering_id": offering_id}, {"ticket": 1, "_id": 0})
            if row["ticket"] not in departed])

    def tickets_of(self, offering_id: str, enrollment_id: str) -> list[int]:
        """Tickets the enrollment ever took."""
        return [row["ticket"] for row in self._tickets.find(
            {"offering_id": offering_id, "enrollment_id": enrollment_id}, {"ticket": 1})]
