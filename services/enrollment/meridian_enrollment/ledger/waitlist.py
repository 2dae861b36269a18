"""The waitlist: numbered tickets that are never reused, and departures from the line.

Tickets 1, 2, 3, ... are claimed by insert and never deleted, and a ticket is only tried once
the one below it is known to exist, so tickets 1..t all exist when t does. Leaving the line
(promotion, withdrawal, cancellation) inserts a departure for the ticket. The waiting
line is the tickets without a departure; a ticket's position is its rank in that line.
"""

from __future__ import annotations

import threading

from meridian_common.events.envelope import utcnow

from ..domain.seats import positions
from .store import insert_claim, ledger

MAX_ATTEMPTS = 100_000
_HINT_LIMIT = 10_000
# Highest ticket this process has seen per offering: where the next claim starts probing.
_hints: dict[str, int] = {}
_hints_lock = threading.Lock()


def _remember(offering_id: str, ticket: int) -> None:
    with _hints_lock:
        if len(_hints) > _HINT_LIMIT:
            _hints.clear()
        _hints[offering_id] = max(ticket, _hints.get(offering_id, 0))


def _start(offering_id: str) -> int:
    hint = _hints.get(offering_id)
    # Without a hint, the count is exact: tickets are contiguous from 1 and never deleted.
    return hint if hint is not None else ledger(offering_id, "tickets").count_documents({})


def take_ticket(offering_id: str, enrollment_id: str) -> int:
    """The next ticket of the offering's line."""
    tickets = ledger(offering_id, "tickets")
    ticket = _start(offering_id) + 1
    for _ in range(MAX_ATTEMPTS):
        if insert_claim(tickets, {"_id": ticket, "offering_id": offering_id,
                                  "enrollment_id": enrollment_id, "created_at": utcnow()}):
            _remember(offering_id, ticket)
            return ticket
        ticket += 1  # someone holds this number, so it exists: the next one may be free
    raise RuntimeError("waitlist ticket contention did not settle")


def _departed(offering_id: str) -> set[int]:
    return {row["_id"] for row in ledger(offering_id, "departures").find({}, {"_id": 1})}


def position(offering_id: str, ticket: int) -> int:
    """1 + how many tickets below `ticket` still wait."""
    return ticket - sum(1 for t in _departed(offering_id) if t < ticket)


def depart(offering_id: str, ticket: int | None, enrollment_id: str) -> bool:
    """Record that `ticket` left the line; False when it had already left."""
    if ticket is None:
        return False
    return insert_claim(ledger(offering_id, "departures"), {
        "_id": ticket, "enrollment_id": enrollment_id, "created_at": utcnow()})


def line(offering_id: str) -> list[dict]:
    """The waiting tickets `{_id: ticket, enrollment_id, created_at}`, head first."""
    departed = _departed(offering_id)
    waiting = [row for row in ledger(offering_id, "tickets").find({}) if
               row["_id"] not in departed]
    return sorted(waiting, key=lambda row: row["_id"])


def ranks(offering_id: str) -> dict[int, int]:
    """Position of every waiting ticket."""
    return positions([row["_id"] for row in line(offering_id)])


def anyone_waiting(offering_id: str) -> bool:
    """Whether the offering's line is non-empty."""
    issued = ledger(offering_id, "tickets").count_documents({})
    return issued > 0 and issued > ledger(offering_id, "departures").count_documents({})
