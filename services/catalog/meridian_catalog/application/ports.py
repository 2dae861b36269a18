"""The small interfaces the use cases call; adapters/ implements them on MongoDB."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ..domain.courses import Course
from ..domain.institutions import Institution
from ..domain.offerings import Offering
from ..domain.permissions import Caller
from ..domain.search import CourseFilter

T = TypeVar("T")
# Who is calling, asked only when a rule needs it (a public read never looks at the token).
Identify = Callable[[], Caller | None]
# The caller's precondition on the current state (the api checks If-Match with it).
Precondition = Callable[[object], None]
EventsFor = Callable[[T], list[dict]]


class Repository(Protocol[T]):
    """Stores one kind of aggregate; every write carries the events it causes."""

    def get(self, identifier: str) -> T | None:
        """The aggregate, or None."""

    def add(self, aggregate: T, events: list[dict]) -> None:
        """Insert it with `events`; Conflict("duplicate") when its identity is taken."""

    def update(self, aggregate: T, changes: dict, events_for: EventsFor) -> T:
        """Apply `changes` and the events built from the new state in one write guarded by
        the aggregate's version; Conflict("concurrent_update") when someone else wrote first."""


class InstitutionRepository(Repository[Institution], Protocol):
    def page(self, alliance: str | None, country: str | None, page: int,
             per_page: int) -> tuple[list[Institution], int]:
        """One page of institutions by name, and the total."""

    def existing(self, identifiers: set[str]) -> set[str]:
        """Which of `identifiers` are institutions."""

    def members_of(self, alliance: str) -> set[str]:
        """The ids of an alliance's institutions."""


class CourseRepository(Repository[Course], Protocol):
    def read(self, identifier: str) -> Course | None:
        """The course as a read shows it (its search card), or None; writes use `get`."""

    def search(self, wanted: CourseFilter, page: int,
               per_page: int) -> tuple[list[Course], int]:
        """One page of matching courses by title, and the total."""

    def refresh_card(self, identifier: str, version: int) -> bool:
        """Rewrite the course's search card if it is older than `version`; True if it was."""
        ...

    def invited(self, user_id: str) -> list[Course]:
        """Courses that invite `user_id` to their faculty."""


class OfferingRepository(Repository[Offering], Protocol):
    def of_course(self, course_id: str, status: str | None, page: int | None = None,
                  per_page: int | None = None) -> tuple[list[Offering], int]:
        """A course's offerings by start date (one page when `page` is given), and the total."""


class SeatCounts(Protocol):
    """The read model of enrollment states that seat figures are counted from."""

    def record(self, enrollment_id: str, offering_id: str, status: str, version: int) -> bool:
        """Keep an enrollment's state unless a newer version is known; True when applied."""

    def recount(self, offering_ids: list[str]) -> None:
        """Bring what `counts` answers for these offerings up to their recorded states."""

    def counts(self, offering_ids: list[str]) -> dict[str, Counter]:
        """Per offering, how many enrollments are in each status."""


@dataclass(frozen=True)
class CatalogPorts:
    """Everything the catalog's use cases need from the outside world."""

    institutions: InstitutionRepository
    courses: CourseRepository
    offerings: OfferingRepository
    seats: SeatCounts
