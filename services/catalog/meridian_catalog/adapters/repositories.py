"""Repositories of institutions, courses and offerings on mongoengine documents."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from meridian_common.persistence.outbox import insert_with_events, update_with_events
from meridian_common.persistence.paging import paginate

from ..domain.courses import Course
from ..domain.faculty import INVITED, FacultyMember
from ..domain.institutions import Institution
from ..domain.offerings import Offering
from ..domain.search import CourseFilter
from .course_cards import CourseCards
from .documents import CourseDocument, FacultyEntry, InstitutionDocument, OfferingDocument


class MongoRepository:
    """get/add/update of one aggregate kind through the outbox's write entry points."""

    document: type
    aggregate: type

    def __init__(self):
        self._names = [f.name for f in dataclass_fields(self.aggregate)]

    def to_domain(self, document):
        """The aggregate held by a stored document."""
        return self.aggregate(**{name: getattr(document, name) for name in self._names})

    def to_stored(self, values: dict) -> dict:
        """Field values as the document stores them."""
        return values

    def get(self, identifier: str):
        """The aggregate, or None."""
        document = self.document.current(id=identifier).first()
        return None if document is None else self.to_domain(document)

    def add(self, aggregate, events: list[dict]) -> None:
        """Insert with its events; a unique index refuses a taken identity (Conflict)."""
        values = {name: getattr(aggregate, name) for name in self._names}
        insert_with_events(self.document(**self.to_stored(values)), *events)

    def update(self, aggregate, changes: dict, events_for):
        """One version-guarded write of `changes` and their events (Conflict when stale)."""
        values = {name: getattr(aggregate, name) for name in self._names}
        document = self.document(**self.to_stored(values))
        stored = update_with_events(document, self.to_stored(dict(changes)),
                                    lambda doc: events_for(self.to_domain(doc)))
        return self.to_domain(stored)

    def _page(self, queryset, page: int, per_page: int) -> tuple[list, int]:
        """One page of aggregates from `queryset`, and the total."""
        documents, total = paginate(queryset, page, per_page)
        return [self.to_domain(d) for d in documents], total


class MongoInstitutions(MongoRepository):
    document, aggregate = InstitutionDocument, Institution

    def page(self, alliance, country, page, per_page):
        """One page of institutions by name, and the total."""
        query = {}
        if alliance is not None:
            query["alliances"] = alliance
        if country is not None:
            query["country"] = country
        return self._page(self.document.current(**query).order_by("name", "id"),
                            page, per_page)

    def existing(self, identifiers: set[str]) -> set[str]:
        """Which of `identifiers` are institutions."""
        found = self.document.objects(id__in=sorted(identifiers)).only("id")
        return {d.id for d in found}

    def members_of(self, alliance: str) -> set[str]:
        """The ids of an alliance's institutions."""
        return {d.id for d in self.document.objects(alliances=alliance).only("id")}


class MongoCourses(MongoRepository):
    """Courses, and their search cards (course_cards.py) written after each course write."""

    document, aggregate = CourseDocument, Course

    def __init__(self):
        super().__init__()
        self.cards = CourseCards()

    def add(self, aggregate, events):
        super().add(aggregate, events)
        self.cards.put(aggregate)

    def update(self, aggregate, changes, events_for):
        stored = super().update(aggregate, changes, events_for)
        self.cards.put(stored)
        return stored

    def to_domain(self, document):
        course = super().to_domain(document)
        course.faculty = [FacultyMember(m.user_id, m.role, m.status or "active", m.invitation_id)
                          for m in document.faculty]
        return course

    def to_stored(self, values: dict) -> dict:
        if "faculty" in values:
            values["invited_ids"] = [m.user_id for m in values["faculty"] if m.status == INVITED]
            values["faculty"] = [FacultyEntry(user_id=m.user_id, role=m.role, status=m.status,
                                              invitation_id=m.invitation_id)
                                 for m in values["faculty"]]
        return values

    def invited(self, user_id: str) -> list[Course]:
        """Courses that invite `user_id` to their faculty, by title."""
        return [self.to_domain(d) for d in
                self.document.current(invited_ids=user_id).order_by("title", "id")]

    def read(self, identifier: str):
        """The course for a read: from its card, cheap to decode (the course itself when it
        has no card yet)."""
        return self.cards.get(identifier) or self.get(identifier)

    def search(self, wanted: CourseFilter, page: int, per_page: int):
        """One page of matching courses by title, and the total (read from the cards)."""
        return self.cards.search(wanted, page, per_page)

    def refresh_card(self, identifier: str, version: int) -> bool:
        """Rewrite the card from the course when the card is older than `version` (a write
        whose process stopped between the course and its card)."""
        if self.cards.version_of(identifier) >= version:
            return False
        course = self.get(identifier)
        return course is not None and self.cards.put(course)

    def restore_cards(self) -> int:
        """Write the card of every course whose card is missing or older (after a crash
        between the two writes, or for courses stored before cards existed); how many."""
        known = self.cards.versions()
        stale = [d.id for d in self.document.objects.only("id", "version")
                 if known.get(d.id, 0) < d.version]
        for course_id in stale:
            course = self.get(course_id)
            if course is not None:
                self.cards.put(course)
        return len(stale)


class MongoOfferings(MongoRepository):
    document, aggregate = OfferingDocument, Offering

    def of_course(self, course_id: str, status: str | None, page: int | None = None,
                  per_page: int | None = None):
        """A course's offerings by start date (one page when `page` is given), and the total."""
        query = {"course_id": course_id, **({"status": status} if status else {})}
        queryset = self.document.current(**query).order_by("starts_on", "id")
        if page is None:
            offerings = [self.to_domain(d) for d in queryset]
            return offerings, len(offerings)
        return self._page(queryset, page, per_page)
