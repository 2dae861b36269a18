"""The MongoDB ports, built once the database connection is open."""

from __future__ import annotations

from datetime import timedelta

from meridian_common.persistence import db, idempotency

from ..application.ports import Ports
from .documents import ALL_DOCUMENTS
from .draws import MongoDraws
from .enrollments import MongoEnrollments
from .jobs import MongoBulkJobs
from .places import MongoPlaces
from .seats import MongoSeatLedger
from .sweeps import MongoSweeps, SystemClock
from .views import MongoCourseViews, MongoInstitutionViews, MongoOfferingViews
from .waitlist import MongoWaitlist


def ensure_indexes() -> None:
    """Create every declared index, the unique ones that guard the invariants first of all."""
    db.ensure_indexes(*ALL_DOCUMENTS)
    idempotency.ensure_indexes()


def mongo_ports(claim_lease: timedelta | None = None) -> Ports:
    """Ports backed by the connected database (`claim_lease`: see Ports.claim_lease)."""
    lease = {} if claim_lease is None else {"claim_lease": claim_lease}
    return Ports(clock=SystemClock(), places=MongoPlaces(), seats=MongoSeatLedger(),
                 waitlist=MongoWaitlist(), enrollments=MongoEnrollments(),
                 offerings=MongoOfferingViews(), institutions=MongoInstitutionViews(),
                 courses=MongoCourseViews(), draws=MongoDraws(), sweeps=MongoSweeps(),
                 jobs=MongoBulkJobs(), **lease)
