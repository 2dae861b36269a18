"""The small interfaces the use cases call; adapters/ implements them on MongoDB.

Every invariant lives behind a port whose write is an insert that a unique key can refuse:
a place per (offering, student), a seat per (offering, seat number), a ticket per
(offering, ticket), and one writer per enrollment version (`Enrollments.hold`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from ..domain.eligibility import InstitutionFacts
from ..domain.jobs import BulkJob
from ..domain.lifecycle import Enrollment, Event
from ..domain.offering import Draw, DrawOutline, OfferingView


@dataclass(frozen=True)
class Seat:
    """Seat `seat_no` of an offering, held by one enrollment."""

    offering_id: str
    seat_no: int
    enrollment_id: str


@dataclass(frozen=True)
class QuotaPlace:
    """Place `n` of an institution's quota in a lottery offering."""

    offering_id: str
    institution_id: str
    n: int
    enrollment_id: str


@dataclass(frozen=True)
class Place:
    """A student's one active place in an offering."""

    student_id: str
    enrollment_id: str
    institution_id: str | None
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Ticket:
    """A waiting ticket: the holder's place in the waitlist's order of arrival."""

    ticket: int
    enrollment_id: str
    created_at: datetime


@dataclass(frozen=True)
class Hold:
    """A change of one enrollment in flight (see Enrollments.hold)."""

    enrollment_id: str
    offering_id: str
    student_id: str | None
    from_version: int
    action: str
    created_at: datetime


class Clock(Protocol):
    def now(self) -> datetime: """The current time, in UTC."""
    def sleep(self, seconds: float) -> None: """Wait (a fake clock just moves on)."""


class Places(Protocol):
    def take(self, offering_id: str, student_id: str, enrollment_id: str,
             institution_id: str | None) -> bool: """Claim the student's one active place."""
    def take_many(self, offering_id: str, claims: list[tuple[str, str]],
                  institution_id: str | None) -> dict[str, str | None]:
        """Claim (student, enrollment) places at once; the holders of places held already."""
    def holder(self, offering_id: str, student_id: str) -> str | None: """Who holds it."""
    def held(self, offering_id: str, student_id: str) -> Place | None:
        """The student's place (with when it was taken), if someone holds it."""
    def release(self, offering_id: str, student_id: str, enrollment_id: str) -> None:
        """Give the place back, only if `enrollment_id` still holds it."""
    def active(self, offering_id: str) -> list[Place]: """Every active place of the offering."""


class SeatLedger(Protocol):
    def reserve(self, offering: OfferingView, enrollment_id: str) -> Seat | None:
        """A free seat numbered 1..capacity for the enrollment, or None when full."""
    def reserve_many(self, offering: OfferingView, enrollment_ids: list[str]) -> set[str]:
        """Seats for as many of the enrollments as are free, in order: the ids seated."""
    def release(self, seat: Seat) -> None: """Give back one seat (a delete)."""
    def release_all(self, offering_id: str, enrollment_id: str) -> None:
        """Give back the seat and quota place the enrollment holds."""
    def free(self, offering: OfferingView) -> int: """How many seats a reserve could take."""
    def any_free(self, offering: OfferingView) -> bool:
        """Whether a reserve may find a seat: False only when none is free (cheaper than
        `free`: the adapter may answer from what it remembers while nothing was released)."""
    def reserve_quota(self, offering_id: str, institution_id: str, size: int,
                      enrollment_id: str) -> QuotaPlace | None: """One of `size` quota places."""
    def release_quota(self, place: QuotaPlace) -> None: """Give back one quota place."""
    def relocate_above(self, offering: OfferingView) -> int:
        """Move seats numbered above a lowered capacity onto free lower numbers."""


class Waitlist(Protocol):
    def append(self, offering_id: str, enrollment_id: str) -> int: """The next ticket."""
    def position(self, offering_id: str, ticket: int) -> int: """1 + waiting tickets below."""
    def head(self, offering_id: str, limit: int) -> list[Ticket]: """Waiting, head first."""
    def remove(self, offering_id: str, ticket: int | None, enrollment_id: str) -> bool:
        """The ticket leaves the line; False when it had left already."""
    def anyone_waiting(self, offering_id: str) -> bool: """Whether the line is non-empty."""
    def positions(self, offering_id: str) -> dict[int, int]: """Every waiting ticket's rank."""
    def tickets_of(self, offering_id: str, enrollment_id: str) -> list[int]:
        """Tickets the enrollment ever took (waiting or not)."""


class Enrollments(Protocol):
    def add(self, enrollment: Enrollment, events: list[Event]) -> None:
        """Store a new enrollment with its events in one insert: the commit point."""
    def add_many(self, stored: list[tuple[Enrollment, list[Event]]]) -> None:
        """Store new enrollments with their events at once (stored ones stay as they are)."""
    def many(self, enrollment_ids: list[str]) -> dict[str, Enrollment]:
        """The stored enrollments among `enrollment_ids`."""
    def get(self, enrollment_id: str) -> Enrollment | None: """The stored enrollment."""
    def hold(self, enrollment: Enrollment, action: str) -> bool:
        """Become the one writer allowed to move the enrollment from its version."""
    def update(self, before: Enrollment, after: Enrollment,
               events: list[Event]) -> Enrollment | None:
        """Write `after` and its events (holding `before`); the stored result, or None if
        `before` was stale."""
    def let_go(self, enrollment_id: str, from_version: int) -> None: """Drop a hold."""
    def stale_holds(self, older_than: datetime) -> list[Hold]: """Holds a crash left behind."""
    def drop_hold(self, hold: Hold) -> None: """Forget a stale hold once it is repaired."""
    def of_offering(self, offering_id: str, statuses: tuple[str, ...]) -> list[Enrollment]:
        """The offering's enrollments in `statuses`, oldest first."""
    def of_student(self, student_id: str, offering_id: str | None) -> list[Enrollment]:
        """A student's enrollments, newest first."""


class OfferingViews(Protocol):
    def get(self, offering_id: str) -> OfferingView | None: """As last announced."""
    def store_newer(self, view: OfferingView) -> bool: """Store unless a newer one is."""
    def cancelled_since(self, since: datetime) -> list[str]: """Recently cancelled ids."""


class InstitutionViews(Protocol):
    def facts(self, institution_id: str) -> InstitutionFacts | None: """Country, alliances."""
    def store_newer(self, institution_id: str, version: int, facts: InstitutionFacts) -> bool:
        """Store unless a newer version is."""


class CourseViews(Protocol):
    def faculty(self, course_id: str) -> list[dict] | None: """The course's newest staff."""
    def status(self, course_id: str) -> str | None: """The course's newest status."""
    def store_newer(self, course_id: str, version: int, provider: str,
                    faculty: list[dict], status: str | None = None) -> bool:
        """Store unless a newer version is."""


class BulkJobs(Protocol):
    def add(self, job: BulkJob) -> None: """Store a new job."""
    def get(self, job_id: str) -> BulkJob | None: """The job, if it exists."""
    def open_jobs(self, limit: int) -> list[BulkJob]: """Unfinished jobs, oldest first."""
    def rows(self, job_id: str) -> dict[int, list[dict]]: """Recorded batches' rows."""
    def record_batch(self, job_id: str, n: int, rows: list[dict], at: datetime) -> None:
        """Store a batch's rows once."""
    def finish(self, job_id: str, at: datetime) -> None: """Mark the job done."""
    def lease(self, job_id: str, owner: str, now: datetime, seconds: float) -> bool:
        """Hold the job; False while another owner does."""
    def release(self, job_id: str, owner: str) -> None: """Give the lease back."""


class Draws(Protocol):
    def get(self, offering_id: str) -> Draw | None: """The offering's draw, if it ran."""
    def outlines(self, offering_ids: list[str]) -> dict[str, DrawOutline]:
        """The outlines of those offerings' draws (offerings without one are left out)."""
    def add(self, draw: Draw) -> Draw: """Store the draw once; returns the stored one."""
    def mark_applied(self, offering_id: str, at: datetime) -> None: """All outcomes given."""
    def unapplied(self) -> list[Draw]: """Draws whose application was interrupted."""
    def lock(self, offering_id: str) -> bool: """Become the offering's one draw applier."""
    def unlock(self, offering_id: str) -> None: """Stop being it."""


class Sweeps(Protocol):
    def release_orphans(self, older_than: datetime, since: datetime | None) -> set[str]:
        """Release claims whose enrollment never committed; returns the offerings touched."""

    def checked_until(self) -> datetime | None:
        """Claims created before this were checked by an earlier sweep (None: never)."""

    def note_checked(self, until: datetime) -> None:
        """Claims created before `until` have been checked."""


@dataclass
class Ports:
    """Everything a use case may call."""

    clock: Clock
    places: Places
    seats: SeatLedger
    waitlist: Waitlist
    enrollments: Enrollments
    offerings: OfferingViews
    institutions: InstitutionViews
    courses: CourseViews
    draws: Draws
    sweeps: Sweeps
    jobs: BulkJobs
    # How long a creation may hold a student's place before committing; a place older than
    # this without an enrollment was left by a crash (see application/places.py).
    claim_lease: timedelta = timedelta(seconds=10)
