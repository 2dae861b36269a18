"""What the service knows about offerings, institutions and courses (fed by catalog events)."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from ..domain.eligibility import InstitutionFacts
from ..models import (
    EnrollmentCourseView,
    EnrollmentInstitutionView,
    EnrollmentOfferingView,
    LotteryDraw,
)


def load_offering(offering_id: str) -> EnrollmentOfferingView | None:
    """The offering as last announced by the catalog, or None if never heard of."""
    return EnrollmentOfferingView.objects(id=offering_id).first()


def institution_facts(institution_id: str | None) -> InstitutionFacts | None:
    """Country and alliances of an institution, or None when unknown."""
    if not institution_id:
        return None
    row = EnrollmentInstitutionView._get_collection().find_one({"_id": institution_id})
    if row is None:
        return None
    return InstitutionFacts(country=row["country"], alliances=tuple(row.get("alliances") or ()))


def course_staff(offering: EnrollmentOfferingView) -> list[dict]:
    """The course's faculty: the course's own newest list, else the offering's snapshot."""
    row = EnrollmentCourseView._get_collection().find_one({"_id": offering.course_id},
                                                          {"faculty": 1})
    return list(row["faculty"]) if row else list(offering.faculty or [])


def draw_of(offering_id: str) -> LotteryDraw | None:
    """The lottery draw of an offering, if it ran."""
    return LotteryDraw.objects(id=offering_id).first()


def quotas_of(offering: EnrollmentOfferingView) -> dict[str, int]:
    """Institution quotas that still bind a lottery offering's places (none otherwise)."""
    if offering.selection != "lottery":
        return {}
    draw = draw_of(offering.id)
    return dict(draw.quotas) if draw is not None else {}


def store_if_newer(document_class, identifier: str, version: int, fields: dict) -> bool:
    """Replace a read-model row unless a same or newer version is stored; True if replaced."""
    collection = document_class._get_collection()
    current = collection.find_one({"_id": identifier}, {"version": 1})
    if current is not None and current["version"] >= version:
        return False
    try:
        # The version filter plus the unique _id make a racing older write fail, not win.
        collection.replace_one({"_id": identifier, "version": {"$lt": version}},
                               {**fields, "version": version}, upsert=True)
    except DuplicateKeyError:
        return False
    return True
