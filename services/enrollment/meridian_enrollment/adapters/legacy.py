"""Moving claims out of earlier versions' per-offering collections (`ledger.<offering>.<kind>`).

Runs at worker start: copies every claim into its one collection per kind (duplicates of an
interrupted earlier run are skipped), then drops the old collections and the old student
index, so a database made by an earlier version keeps its seats and waitlists.
"""

from __future__ import annotations

import logging

from pymongo.database import Database
from pymongo.errors import BulkWriteError

from meridian_common.persistence import db

log = logging.getLogger(__name__)
PREFIX = "ledger."
DUPLICATE_KEY = 11000


def _row(kind: str, offering_id: str, row: dict) -> tuple[str, dict]:
    owned = {"offering_id": offering_id, "enrollment_id": row.get("enrollment_id"),
             "created_at": row.get("created_at")}
    if kind == "students":
        return "places", {**owned, "student_id": row["_id"],
                          "institution_id": row.get("institution_id")}
    if kind == "seats":
        return "seats", {**owned, "seat_no": row["_id"]}
    if kind == "quotas":
        return "quota_places", {**owned, "institution_id": row["institution_id"], "n": row["n"]}
    if kind == "tickets":
        return "waitlist_tickets", {**owned, "ticket": row["_id"]}
    return "waitlist_departures", {**owned, "ticket": row["_id"]}


def _insert_all(database: Database, name: str, rows: list[dict]) -> None:
    try:
        database[name].insert_many(rows, ordered=False)
    except BulkWriteError as exc:
        if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise


def migrate_ledgers() -> int:
    """Move every legacy ledger into the collections per kind; returns how many offerings."""
    database = db.database()
    groups: dict[str, list[str]] = {}
    for name in database.list_collection_names():
        if name.startswith(PREFIX):
            groups.setdefault(name[len(PREFIX):].rsplit(".", 1)[0], []).append(name)
    for names in groups.values():
        rows = {name.rsplit(".", 1)[1]: list(database[name].find()) for name in names}
        offering_id = next((row["offering_id"] for kind_rows in rows.values()
                            for row in kind_rows if row.get("offering_id")), None)
        if offering_id is not None:
            moved: dict[str, list[dict]] = {}
            for kind, kind_rows in rows.items():
                for row in kind_rows:
                    target, document = _row(kind, offering_id, row)
                    moved.setdefault(target, []).append(document)
            for target, documents in moved.items():
                _insert_all(database, target, documents)
        for name in names:
            database.drop_collection(name)
    database.drop_collection("student_enrollments")
    if groups:
        log.info("moved the claims of %d offerings out of per-offering ledgers", len(groups))
    return len(groups)
