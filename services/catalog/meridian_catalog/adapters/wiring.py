"""The catalog's ports on MongoDB, and the indexes they rely on."""

from __future__ import annotations

from meridian_common.persistence import db

from ..application.ports import CatalogPorts
from .documents import ALL_DOCUMENTS
from .repositories import MongoCourses, MongoInstitutions, MongoOfferings
from .seats import MongoSeatCounts


def mongo_ports() -> CatalogPorts:
    """Ports backed by the connected database."""
    return CatalogPorts(institutions=MongoInstitutions(), courses=MongoCourses(),
                        offerings=MongoOfferings(), seats=MongoSeatCounts())


def ensure_indexes() -> None:
    """Create the indexes of every catalog collection (idempotent)."""
    db.ensure_indexes(*ALL_DOCUMENTS)
