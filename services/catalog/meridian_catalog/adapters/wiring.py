"""The catalog's ports on MongoDB, and the indexes they rely on."""

from __future__ import annotations

import logging

from meridian_common.persistence import db

from ..application.ports import CatalogPorts
from .course_cards import CourseCard
from .documents import ALL_DOCUMENTS
from .repositories import MongoCourses, MongoInstitutions, MongoOfferings
from .seats import MongoSeatCounts, SeatTally

log = logging.getLogger(__name__)


def mongo_ports() -> CatalogPorts:
    """Ports backed by the connected database."""
    return CatalogPorts(institutions=MongoInstitutions(), courses=MongoCourses(),
                        offerings=MongoOfferings(), seats=MongoSeatCounts())


def ensure_indexes() -> None:
    """Create the indexes of every catalog collection (idempotent)."""
    db.ensure_indexes(*ALL_DOCUMENTS, CourseCard, SeatTally)


def restore_cards() -> None:
    """Bring every course's search card up to its course (the worker does this at start)."""
    restored = MongoCourses().restore_cards()
    if restored:
        log.info("course search cards restored", extra={"restored": restored})
