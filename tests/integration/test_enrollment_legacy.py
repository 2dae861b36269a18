"""A database of the per-offering ledger era keeps its seats and waitlist (real FerretDB)."""

from __future__ import annotations

from datetime import timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.events.envelope import utcnow
from meridian_common.persistence import db
from meridian_enrollment.adapters.legacy import migrate_ledgers
from meridian_enrollment.adapters.wiring import ensure_indexes, mongo_ports
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.domain.offering import OfferingView
from meridian_enrollment.domain.refusals import Refusal


@pytest.fixture
def ports(isolated_db_name):
    db.connect(load_settings("enrollment", {"mongo_db": isolated_db_name}))
    ensure_indexes()
    yield mongo_ports()
    mongoengine.disconnect(alias=db.ALIAS)


def test_legacy_ledgers_move_into_the_collections_per_kind(ports):
    database, now = db.database(), utcnow()
    old = "ledger.off_old."
    database[old + "students"].insert_many([
        {"_id": s, "offering_id": "off_old", "enrollment_id": f"enr_{s}", "created_at": now}
        for s in ("a", "b", "c")])
    database[old + "seats"].insert_one({"_id": 1, "offering_id": "off_old",
                                        "enrollment_id": "enr_a", "created_at": now})
    database[old + "tickets"].insert_many([
        {"_id": t, "offering_id": "off_old", "enrollment_id": e, "created_at": now}
        for t, e in ((1, "enr_b"), (2, "enr_c"))])
    database[old + "departures"].insert_one({"_id": 1, "enrollment_id": "enr_b",
                                             "created_at": now})

    assert migrate_ledgers() == 1
    assert migrate_ledgers() == 0

    assert not [n for n in database.list_collection_names() if n.startswith("ledger.")]
    assert ports.places.holder("off_old", "b") == "enr_b"
    assert ports.waitlist.positions("off_old") == {2: 1}
    offering = OfferingView(id="off_old", course_id="c", provider_institution_id="p",
                            capacity=1, enrollment_opens_at=now - timedelta(days=1),
                            enrollment_closes_at=now + timedelta(days=1), eligibility=None,
                            selection="first_come", waitlist=True, status="open")
    with pytest.raises(Refusal):
        enroll(ports, offering, "a", None, "a")
    late, position = enroll(ports, offering, "d", None, "d")
    assert (late.status, late.ticket, position) == ("waitlisted", 3, 2)
