"""What one process remembers of an offering's seats and tickets, so a rush claims by insert
instead of reading every claim of the offering first.

FerretDB decodes every document a query returns in Go: reading an offering's 500 taken seats
(or sorting its 500 tickets for the highest) costs 30-70 ms under load, and the enrollment
path did it up to three times per request. These hints replace those reads in the common case.
They are never the truth: a seat or a ticket is still taken by its unique insert alone, and
every answer that could wrongly turn a student away is confirmed by an indexed read:
- a seat hint is a set of seat numbers known to be taken (own inserts, inserts the unique
  index refused, the last full read). A number it does not list may be free; a reserve tries
  it by insert. "Full" is only answered after a full read.
- "no seat free" (the question promotion asks) may come from a hint only while no seat of
  the offering was released since the hint's last full read (MongoSeatLedger checks the
  release notes), and a hint lives at most MAX_AGE.
- a ticket hint is the highest ticket known to exist. Tickets are never deleted, so the next
  one may be tried directly: every ticket below a known one exists.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# A hint older than this is read again, whatever happened (a release note lost to a crash).
MAX_AGE = timedelta(seconds=30)
# After this many refused inserts in a row the hint is too far behind: read again.
MAX_MISSES = 3
_MAX_OFFERINGS = 10_000


@dataclass
class SeatHint:
    """Seats of one offering known to be taken, as of a full read at `read_at` (wall clock
    when the read started) plus what this process saw since."""

    capacity: int
    read_at: datetime
    taken: set[int] = field(default_factory=set)
    blocked: bool = False  # a seat numbered above the capacity: only full reads decide
    misses: int = 0

    def unknown(self) -> int:
        """How many seat numbers 1..capacity are not known to be taken."""
        return 0 if self.blocked else self.capacity - len(self.taken)

    def pick(self, rng: random.Random | None = None) -> int | None:
        """A seat number not known to be taken (now marked taken), or None."""
        if self.blocked or self.misses >= MAX_MISSES:
            return None
        free = [n for n in range(1, self.capacity + 1) if n not in self.taken]
        if not free:
            return None
        n = (rng or random).choice(free)
        self.taken.add(n)  # in flight: the process's other threads try other numbers
        return n


class ClaimHints:
    """Per-process hints, by offering; thread-safe, bounded."""

    def __init__(self, max_age: timedelta = MAX_AGE):
        self.max_age = max_age
        self._seats: dict[str, SeatHint] = {}
        self._tickets: dict[str, int] = {}
        self._lock = threading.Lock()

    def seats(self, offering_id: str, capacity: int, now: datetime) -> SeatHint | None:
        """The offering's seat hint if it was read for this capacity and is fresh enough."""
        with self._lock:
            hint = self._seats.get(offering_id)
            if hint is None or hint.capacity != capacity or now - hint.read_at > self.max_age:
                return None
            return hint

    def read(self, offering_id: str, capacity: int, taken: set[int],
             read_at: datetime) -> SeatHint:
        """Record a full read of the offering's seats that started at `read_at`."""
        hint = SeatHint(capacity, read_at, {n for n in taken if n <= capacity},
                        blocked=any(n > capacity for n in taken))
        with self._lock:
            if len(self._seats) >= _MAX_OFFERINGS:
                self._seats.clear()
            self._seats[offering_id] = hint
        return hint

    def forget_seats(self, offering_id: str) -> None:
        """Drop the seat hint (a seat was released here, or an insert failed oddly)."""
        with self._lock:
            self._seats.pop(offering_id, None)

    def last_ticket(self, offering_id: str) -> int | None:
        """The highest ticket of the offering known to exist, if any."""
        with self._lock:
            return self._tickets.get(offering_id)

    def saw_ticket(self, offering_id: str, ticket: int) -> None:
        """Ticket `ticket` exists (inserted here, or refused as taken)."""
        with self._lock:
            if len(self._tickets) >= _MAX_OFFERINGS:
                self._tickets.clear()
            if ticket > self._tickets.get(offering_id, 0):
                self._tickets[offering_id] = ticket
