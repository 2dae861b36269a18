"""SeatLedger on MongoDB: `seats` unique on (offering_id, seat_no), `quota_places` likewise.

A seat is claimed by inserting its number (1..capacity) and released by deleting it, so the
unique index alone bounds the number of confirmed students, whatever the concurrency.
"""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from ..application.ports import QuotaPlace, Seat
from ..domain.offering import OfferingView
from ..domain.seats import attempt_order, free_seat_numbers
from .claims import CollectionOf, insert_claim, insert_claims, offering_lock
from .documents import QuotaClaim, SeatClaim


class MongoSeatLedger:
    """Seats and lottery quota places as insert-only claims."""

    _seats = CollectionOf(SeatClaim)
    _quotas = CollectionOf(QuotaClaim)

    def _taken(self, offering_id: str) -> set[int]:
        return {row["seat_no"] for row in self._seats.find({"offering_id": offering_id},
                                                           {"seat_no": 1, "_id": 0})}

    def free(self, offering: OfferingView) -> int:
        """How many seats a reserve could take now."""
        return len(free_seat_numbers(offering.capacity, self._taken(offering.id)))

    def reserve(self, offering: OfferingView, enrollment_id: str) -> Seat | None:
        """Claim a free seat numbered 1..capacity; None when the offering is full."""
        with offering_lock(offering.id):
            free = free_seat_numbers(offering.capacity, self._taken(offering.id))
            for n in attempt_order(free):
                if insert_claim(self._seats, {"offering_id": offering.id, "seat_no": n,
                                              "enrollment_id": enrollment_id,
                                              "created_at": utcnow()}):
                    return Seat(offering.id, n, enrollment_id)
        return None

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
        self._seats.delete_one({"offering_id": seat.offering_id, "seat_no": seat.seat_no,
                                "enrollment_id": seat.enrollment_id})

    def release_all(self, offering_id: str, enrollment_id: str) -> None:
        """Give back the seat and quota place the enrollment holds."""
        owned = {"offering_id": offering_id, "enrollment_id": enrollment_id}
        self._seats.delete_many(owned)
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
                self._seats.delete_one({"_id": row["_id"]})
                moved += 1
        return moved
