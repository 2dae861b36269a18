"""Read models of catalog facts on MongoDB: offerings, institutions, courses."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from meridian_common.events.envelope import utcnow
from meridian_common.persistence.readmodels import apply_newest

from ..domain.eligibility import InstitutionFacts
from ..domain.offering import OfferingView
from .claims import CollectionOf, storable
from .view_documents import CourseViewDocument, InstitutionViewDocument, OfferingViewDocument

_OFFERING_FIELDS = ("course_id", "provider_institution_id", "capacity", "enrollment_opens_at",
                    "enrollment_closes_at", "eligibility", "selection", "waitlist", "status",
                    "faculty", "version")


class MongoOfferingViews:
    """`offering_views`: one row per offering, replaced by newer catalog versions."""

    _rows = CollectionOf(OfferingViewDocument)

    def get(self, offering_id: str) -> OfferingView | None:
        """The offering as last announced, or None."""
        row = self._rows.find_one({"_id": offering_id}) if storable(offering_id) else None
        if row is None:
            return None
        return OfferingView(id=row["_id"], **{name: row.get(name) for name in _OFFERING_FIELDS})

    def store_newer(self, view: OfferingView) -> bool:
        """Store the view unless a same or newer version is stored."""
        fields = asdict(view)
        fields.pop("id")
        version = fields.pop("version")
        return apply_newest(self._rows, view.id, version, {**fields, "updated_at": utcnow()})

    def cancelled_since(self, since: datetime) -> list[str]:
        """Offerings cancelled (or changed while cancelled) since `since`."""
        return [row["_id"] for row in self._rows.find(
            {"status": "cancelled", "updated_at": {"$gte": since}}, {"_id": 1})]


class MongoInstitutionViews:
    """`institution_views`: country and alliances per institution."""

    _rows = CollectionOf(InstitutionViewDocument)

    def facts(self, institution_id: str) -> InstitutionFacts | None:
        """Country and alliances, or None when unknown."""
        row = self._rows.find_one({"_id": institution_id})
        if row is None:
            return None
        return InstitutionFacts(country=row["country"],
                                alliances=tuple(row.get("alliances") or ()))

    def store_newer(self, institution_id: str, version: int, facts: InstitutionFacts) -> bool:
        """Store unless a same or newer version is stored."""
        return apply_newest(self._rows, institution_id, version,
                              {"country": facts.country, "alliances": list(facts.alliances)})


class MongoCourseViews:
    """`course_views`: each course's newest faculty list."""

    _rows = CollectionOf(CourseViewDocument)

    def faculty(self, course_id: str) -> list[dict] | None:
        """The course's staff, or None when the course was never announced."""
        row = self._rows.find_one({"_id": course_id}, {"faculty": 1})
        return list(row["faculty"]) if row else None

    def status(self, course_id: str) -> str | None:
        """The course's newest status, or None when unknown."""
        row = self._rows.find_one({"_id": course_id}, {"status": 1})
        return row.get("status") if row else None

    def store_newer(self, course_id: str, version: int, provider: str,
                    faculty: list[dict], status: str | None = None) -> bool:
        """Store unless a same or newer version is stored."""
        return apply_newest(self._rows, course_id, version,
                              {"provider_institution_id": provider, "faculty": faculty,
                               "status": status})
