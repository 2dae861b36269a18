"""Places on MongoDB: `places` unique on (offering_id, student_id), one per active enrollment."""

from __future__ import annotations

from meridian_common.events.envelope import as_utc, utcnow

from ..application.ports import Place
from .claims import CollectionOf, insert_claim, insert_claims
from .documents import PlaceClaim


class MongoPlaces:
    """A student's one active place per offering, claimed by insert, released by delete."""

    _places = CollectionOf(PlaceClaim)

    def take(self, offering_id: str, student_id: str, enrollment_id: str,
             institution_id: str | None) -> bool:
        """Claim the student's place for `enrollment_id`; False when someone holds it."""
        return insert_claim(self._places, {
            "offering_id": offering_id, "student_id": student_id,
            "enrollment_id": enrollment_id, "institution_id": institution_id,
            "created_at": utcnow()})

    def take_many(self, offering_id: str, claims: list[tuple[str, str]],
                  institution_id: str | None) -> dict[str, str | None]:
        """Claim places for (student, enrollment) pairs at once; the holder of each student's
        place where it was held already (students missing from the answer got theirs now)."""
        now = utcnow()
        refused = insert_claims(self._places, [
            {"offering_id": offering_id, "student_id": student, "enrollment_id": enrollment,
             "institution_id": institution_id, "created_at": now}
            for student, enrollment in claims])
        return {claims[i][0]: self.holder(offering_id, claims[i][0]) for i in sorted(refused)}

    def holder(self, offering_id: str, student_id: str) -> str | None:
        """The enrollment id that holds the student's place, if any."""
        row = self._places.find_one({"offering_id": offering_id, "student_id": student_id},
                                    {"enrollment_id": 1})
        return row["enrollment_id"] if row else None

    def held(self, offering_id: str, student_id: str) -> Place | None:
        """The student's place, with when it was taken, if someone holds it."""
        row = self._places.find_one({"offering_id": offering_id, "student_id": student_id})
        return Place(row["student_id"], row["enrollment_id"], row.get("institution_id"),
                     as_utc(row["created_at"])) if row else None

    def release(self, offering_id: str, student_id: str, enrollment_id: str) -> None:
        """Give the place back, only if `enrollment_id` still holds it."""
        self._places.delete_one({"offering_id": offering_id, "student_id": student_id,
                                 "enrollment_id": enrollment_id})

    def active(self, offering_id: str) -> list[Place]:
        """Every active place of the offering."""
        return [Place(row["student_id"], row["enrollment_id"], row.get("institution_id"))
                for row in self._places.find({"offering_id": offering_id})]
