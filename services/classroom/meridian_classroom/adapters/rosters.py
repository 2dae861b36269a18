"""The roster: one document per (offering, student), written by the enrollment consumer only.

Enrollment events are keyed by offering id, so one consumer owns each offering's entries:
reading an entry and then writing it has a single writer.
"""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from ..application.ports import Member
from ..domain.roster import CONFIRMED
from .documents import ClassroomRosterEntry


def roster_id(offering_id: str, student_id: str) -> str:
    """The `_id` of one student's entry in one offering."""
    return f"{offering_id}:{student_id}"


class MongoRosters:
    """The `Rosters` port on the `roster` collection."""

    def __init__(self):
        self._rows = ClassroomRosterEntry._get_collection

    def is_confirmed(self, offering_id: str, user_id: str) -> bool:
        """True when `user_id` holds a confirmed seat in the offering."""
        row = self._rows().find_one({"_id": roster_id(offering_id, user_id)}, {"status": 1})
        return row is not None and row["status"] == CONFIRMED

    def offerings_of(self, user_id: str) -> list[str]:
        """Offering ids where the student holds a confirmed seat."""
        return sorted(row["offering_id"] for row in self._rows().find(
            {"student_id": user_id, "status": CONFIRMED}, {"offering_id": 1}))

    def members(self, offering_id: str) -> list[Member]:
        """Every confirmed student of the offering, with their institution."""
        return [Member(row["student_id"], row.get("institution_id")) for row in self._rows().find(
            {"offering_id": offering_id, "status": CONFIRMED},
            {"student_id": 1, "institution_id": 1})]

    def entry(self, offering_id: str, student_id: str) -> dict | None:
        """The stored entry, if any."""
        return self._rows().find_one({"_id": roster_id(offering_id, student_id)})

    def store(self, offering_id: str, student_id: str, fields: dict, exists: bool) -> None:
        """Write the entry: a `$set` when it exists, else an insert."""
        key = roster_id(offering_id, student_id)
        document = {"offering_id": offering_id, "student_id": student_id, **fields}
        if not exists:
            try:
                self._rows().insert_one({"_id": key, **document})
                return
            except DuplicateKeyError:
                pass
        self._rows().update_one({"_id": key}, {"$set": document})
