"""SeatLedger on MongoDB: `seats` unique on (offering_id, seat_no), `quota_places` likewise.

A seat is claimed by inserting its number (1..capacity) and released by deleting it, so the
unique index alone bounds the number of confirmed students, whatever the concurrency. Which
number to try comes from the process's hint (claim_hints.py), so a rush claims by insert
without reading the offering's taken seats first; "full" is answered only after that read.
"""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from ..application.ports import QuotaPlace, Seat
from ..domain.offering import OfferingView
from ..domain.seats import attempt_order, free_seat_numbers
from .claim_hints import ClaimHints, SeatHint
from .claims import CollectionOf, insert_claim, insert_claims, offering_lock
from .documents import QuotaClaim, SeatClaim
from .seat_releases import ReleaseNotes

MAX_ATTEMPTS = 100_000


class MongoSeatLedger:
    """Seats and lottery quota places as insert-only claims."""

    _seats = CollectionOf(SeatClaim)
    _quotas = CollectionOf(QuotaClaim)

    def __init__(self, hints: ClaimHints | None = None):
        self._hints = hints or ClaimHints()
        self._notes = ReleaseNotes()

    def _taken(self, offering_id: str) -> set[int]:
        return {row["seat_no"] for row in self._seats.find({"offering_id": offering_id},
                                                           {"seat_no": 1, "_id": 0})}

    def _read(self, offering: OfferingView) -> SeatHint:
        started = utcnow()  # before the read: a release after this moment may be unseen
        return self._hints.read(offering.id, offering.capacity, self._taken(offering.id),
                                started)

    def free(self, offering: OfferingView) -> int:
        """How many seats a reserve could take now (read from the database)."""
        return self._read(offering).unknown()

    def any_free(self, offering: OfferingView) -> bool:
        """Whether a reserve may find a seat: False only when none is free."""
        hint = self._hints.seats(offering.id, offering.capacity, utcnow())
        if hint is not None and hint.unknown() > 0:
            return True
        if hint is not None and not hint.blocked and not self._notes.since(offering.id,
                                                                           hint.read_at):
            return False  # every seat was taken at the read, and none was given back since
        return self.free(offering) > 0

    def _candidate(self, offering: OfferingView) -> tuple[SeatHint, int | None]:
        with offering_lock(offering.id):
            hint = self._hints.seats(offering.id, offering.capacity, utcnow())
            n = hint.pick() if hint is not None else None
            if n is None:
                hint = self._read(offering)
                n = hint.pick()
            return hint, n

    def reserve(self, offering: OfferingView, enrollment_id: str) -> Seat | None:
        """Claim a free seat numbered 1..capacity; None when the offering is full."""
        for _ in range(MAX_ATTEMPTS):
            hint, n = self._candidate(offering)
            if n is None:
                return None
            try:
                won = insert_claim(self._seats, {"offering_id": offering.id, "seat_no": n,
                                                 "enrollment_id": enrollment_id,
                                                 "created_at": utcnow()})
            except BaseException:
                self._hints.forget_seats(offering.id)  # n may be free after all
                raise
            if won:
                hint.misses = 0
                return Seat(offering.id, n, enrollment_id)
            hint.misses += 1  # n is someone else's (a lost increment only reads later)
        raise RuntimeError("seat contention did not settle")

    def _released(self, offering_id: str, deleted: int) -> None:
        if deleted:
            self._hints.forget_seats(offering_id)
            self._notes.note(offering_id)

    def reserve_many(self, offering: OfferingView, enrollment_ids: list[str]) -> set[str]:
        """Seats for as many of `enrollment_ids` as are free, in order, in one insert; the
        ids seated (including any that already held a seat)."""
        with offering_lock(offering.id):
            seated = {row["enrollment_id"] for row in self._seats.find(
                {"offering_id": offering.id, "enrollment_id": {"$in": enrollment_ids}},
                {"enrollment_id": 1})}
            wanting = [e for e in enrollment_ids if e not in seated]
            free = free_seat_numbers(offering.capacity, self._taken(offering.id))
            now = utcnow()
            claims = [{"offering_id": offering.id, "seat_no": n, "enrollment_id": e,
                       "created_at": now} for n, e in zip(free, wanting, strict=False)]
            refused = insert_claims(self._seats, claims)
        return seated | {c["enrollment_id"] for i, c in enumerate(claims) if i not in refused}

    def release(self, seat: Seat) -> None:
        """Give back one seat, only if its enrollment still holds it."""
        self._released(seat.offering_id, self._seats.delete_one({
            "offering_id": seat.offering_id, "seat_no": seat.seat_no,
            "enrollment_id": seat.enrollment_id}).deleted_count)

    def release_all(self, offering_id: str, enrollment_id: str) -> None:
        """Give back the seat and quota place the enrollment holds."""
        owned = {"offering_id": offering_id, "enrollment_id": enrollment_id}
        self._released(offering_id, self._seats.delete_many(owned).deleted_count)
        self._quotas.delete_many(owned)

    def reserve_quota(self, offering_id: str, institution_id: str, size: int,
                      enrollment_id: str) -> QuotaPlace | None:
        """Claim one of an institution's `size` quota places; None when all are held."""
        taken = {row["n"] for row in self._quotas.find(
            {"offering_id": offering_id, "institution_id": institution_id}, {"n": 1})}
        for n in attempt_order(free_seat_numbers(size, taken)):
            if insert_claim(self._quotas, {"offering_id": offering_id,
                                           "institution_id": institution_id, "n": n,
                                           "enrollment_id": enrollment_id,
                                           "created_at": utcnow()}):
                return QuotaPlace(offering_id, institution_id, n, enrollment_id)
        return None

    def release_quota(self, place: QuotaPlace) -> None:
        """Give back one quota place, only if its enrollment still holds it."""
        self._quotas.delete_one({"offering_id": place.offering_id,
                                 "institution_id": place.institution_id, "n": place.n,
                                 "enrollment_id": place.enrollment_id})

    def relocate_above(self, offering: OfferingView) -> int:
        """Move seats numbered above a lowered capacity onto free lower numbers."""
        moved = 0
        for row in list(self._seats.find({"offering_id": offering.id,
                                          "seat_no": {"$gt": offering.capacity}})):
            holder = row["enrollment_id"]
            # A relocation interrupted after its insert already gave the holder a lower seat.
            placed = self._seats.count_documents({
                "offering_id": offering.id, "enrollment_id": holder,
                "seat_no": {"$lte": offering.capacity}}) > 0
            taken = self._taken(offering.id)
            for n in ([] if placed else range(1, offering.capacity + 1)):
                if n not in taken and insert_claim(self._seats, {
                        "offering_id": offering.id, "seat_no": n, "enrollment_id": holder,
                        "created_at": utcnow()}):
                    placed = True
                    break
            if placed:
                # A seat above the capacity blocked new claims: its delete is a release.
                self._released(offering.id, self._seats.delete_one(
                    {"_id": row["_id"]}).deleted_count)
                moved += 1
        return moved
