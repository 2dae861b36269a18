"""In-memory fakes of the enrollment ports, with the same unique-key semantics as MongoDB."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta

from meridian_enrollment.application.ports import (
    Hold,
    Place,
    Ports,
    QuotaPlace,
    Seat,
    Ticket,
)
from meridian_enrollment.domain.eligibility import InstitutionFacts
from meridian_enrollment.domain.jobs import BulkJob
from meridian_enrollment.domain.lifecycle import Enrollment, Event
from meridian_enrollment.domain.offering import Draw, DrawOutline, OfferingView
from meridian_enrollment.domain.seats import free_seat_numbers, positions


class FakeClock:
    def __init__(self, now: datetime | None = None):
        self.current = now or datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)

    def sleep(self, seconds: float) -> None:
        self.advance(seconds=seconds)


class FakePlaces:
    def __init__(self, clock):
        self.rows: dict[tuple[str, str], Place] = {}
        self.clock = clock

    def take(self, offering_id, student_id, enrollment_id, institution_id):
        if (offering_id, student_id) in self.rows:
            return False
        self.rows[(offering_id, student_id)] = Place(student_id, enrollment_id, institution_id,
                                                     self.clock.now())
        return True

    def take_many(self, offering_id, claims, institution_id):
        self.batch_calls = getattr(self, "batch_calls", 0) + 1
        held = {s: self.holder(offering_id, s) for s, _e in claims
                if (offering_id, s) in self.rows}
        for student, enrollment in claims:
            self.rows.setdefault((offering_id, student),
                                 Place(student, enrollment, institution_id))
        return held

    def holder(self, offering_id, student_id):
        place = self.rows.get((offering_id, student_id))
        return place.enrollment_id if place else None

    def held(self, offering_id, student_id):
        return self.rows.get((offering_id, student_id))

    def release(self, offering_id, student_id, enrollment_id):
        if self.holder(offering_id, student_id) == enrollment_id:
            del self.rows[(offering_id, student_id)]

    def active(self, offering_id):
        return [p for (o, _), p in self.rows.items() if o == offering_id]


class FakeSeats:
    def __init__(self):
        self.seats: dict[tuple[str, int], str] = {}
        self.quotas: dict[tuple[str, str, int], str] = {}

    def _taken(self, offering_id):
        return {n for (o, n) in self.seats if o == offering_id}

    def free(self, offering: OfferingView) -> int:
        return len(free_seat_numbers(offering.capacity, self._taken(offering.id)))

    def any_free(self, offering: OfferingView) -> bool:
        return self.free(offering) > 0

    def reserve(self, offering, enrollment_id):
        free = free_seat_numbers(offering.capacity, self._taken(offering.id))
        if not free:
            return None
        self.seats[(offering.id, free[0])] = enrollment_id
        return Seat(offering.id, free[0], enrollment_id)

    def reserve_many(self, offering, enrollment_ids):
        seated = {e for (o, _n), e in self.seats.items()
                  if o == offering.id and e in enrollment_ids}
        wanting = [e for e in enrollment_ids if e not in seated]
        free = free_seat_numbers(offering.capacity, self._taken(offering.id))
        for n, enrollment_id in zip(free, wanting, strict=False):
            self.seats[(offering.id, n)] = enrollment_id
            seated.add(enrollment_id)
        return seated

    def release(self, seat):
        if self.seats.get((seat.offering_id, seat.seat_no)) == seat.enrollment_id:
            del self.seats[(seat.offering_id, seat.seat_no)]

    def release_all(self, offering_id, enrollment_id):
        for key in [k for k, v in self.seats.items() if k[0] == offering_id
                    and v == enrollment_id]:
            del self.seats[key]
        for key in [k for k, v in self.quotas.items() if k[0] == offering_id
                    and v == enrollment_id]:
            del self.quotas[key]

    def reserve_quota(self, offering_id, institution_id, size, enrollment_id):
        taken = {n for (o, i, n) in self.quotas if (o, i) == (offering_id, institution_id)}
        free = free_seat_numbers(size, taken)
        if not free:
            return None
        self.quotas[(offering_id, institution_id, free[0])] = enrollment_id
        return QuotaPlace(offering_id, institution_id, free[0], enrollment_id)

    def release_quota(self, place):
        self.quotas.pop((place.offering_id, place.institution_id, place.n), None)

    def relocate_above(self, offering):
        moved = 0
        for (o, n), holder in sorted(self.seats.items()):
            if o == offering.id and n > offering.capacity:
                free = [m for m in range(1, offering.capacity + 1)
                        if (o, m) not in self.seats]
                if free:
                    del self.seats[(o, n)]
                    self.seats[(o, free[0])] = holder
                    moved += 1
        return moved

    def holders(self, offering_id):
        return {v for (o, _), v in self.seats.items() if o == offering_id}


class FakeWaitlist:
    def __init__(self, clock):
        self.tickets: dict[tuple[str, int], Ticket] = {}
        self.departed: set[tuple[str, int]] = set()
        self.clock = clock

    def append(self, offering_id, enrollment_id):
        ticket = 1 + sum(1 for (o, _) in self.tickets if o == offering_id)
        self.tickets[(offering_id, ticket)] = Ticket(ticket, enrollment_id, self.clock.now())
        return ticket

    def position(self, offering_id, ticket):
        return ticket - sum(1 for (o, t) in self.departed if o == offering_id and t < ticket)

    def _waiting(self, offering_id):
        return sorted((t for (o, _), t in self.tickets.items() if o == offering_id
                       and (o, t.ticket) not in self.departed), key=lambda t: t.ticket)

    def head(self, offering_id, limit):
        return self._waiting(offering_id)[:limit]

    def remove(self, offering_id, ticket, enrollment_id):
        if ticket is None or (offering_id, ticket) in self.departed:
            return False
        self.departed.add((offering_id, ticket))
        return True

    def anyone_waiting(self, offering_id):
        return bool(self._waiting(offering_id))

    def positions(self, offering_id):
        return positions([t.ticket for t in self._waiting(offering_id)])

    def tickets_of(self, offering_id, enrollment_id):
        return [t.ticket for (o, _), t in self.tickets.items() if o == offering_id
                and t.enrollment_id == enrollment_id]


class FakeEnrollments:
    def __init__(self, clock):
        self.rows: dict[str, Enrollment] = {}
        self.events: list[tuple[str, Event]] = []
        self.holds: dict[tuple[str, int], Hold] = {}
        self.clock = clock

    def add(self, enrollment, events):
        assert enrollment.id not in self.rows
        self.rows[enrollment.id] = enrollment
        self.events.extend((enrollment.id, e) for e in events)

    def add_many(self, stored):
        for enrollment, events in stored:
            if enrollment.id not in self.rows:
                self.add(enrollment, events)

    def many(self, enrollment_ids):
        return {i: self.rows[i] for i in enrollment_ids if i in self.rows}

    def get(self, enrollment_id):
        return self.rows.get(enrollment_id)

    def hold(self, enrollment, action):
        key = (enrollment.id, enrollment.version)
        if key in self.holds:
            return False
        self.holds[key] = Hold(enrollment.id, enrollment.offering_id, enrollment.student_id,
                               enrollment.version, action, self.clock.now())
        return True

    def update(self, before, after, events):
        assert (before.id, before.version) in self.holds, "update without holding"
        if self.rows[before.id].version != before.version:
            self.let_go(before.id, before.version)
            return None
        self.rows[before.id] = after
        self.events.extend((after.id, e) for e in events)
        return after

    def let_go(self, enrollment_id, from_version):
        self.holds.pop((enrollment_id, from_version), None)

    def stale_holds(self, older_than):
        return [h for h in self.holds.values() if h.created_at < older_than]

    def drop_hold(self, hold):
        self.holds.pop((hold.enrollment_id, hold.from_version), None)

    def of_offering(self, offering_id, statuses):
        return sorted((e for e in self.rows.values() if e.offering_id == offering_id
                       and e.status in statuses), key=lambda e: (e.created_at, e.id))

    def of_student(self, student_id, offering_id):
        return sorted((e for e in self.rows.values() if e.student_id == student_id
                       and offering_id in (None, e.offering_id)),
                      key=lambda e: e.created_at, reverse=True)

    def types_of(self, enrollment_id):
        return [e.type for i, e in self.events if i == enrollment_id]


class FakeOfferings:
    def __init__(self):
        self.rows: dict[str, OfferingView] = {}
        self.cancelled: list[str] = []

    def get(self, offering_id):
        return self.rows.get(offering_id)

    def store_newer(self, view):
        current = self.rows.get(view.id)
        if current is not None and current.version >= view.version:
            return False
        self.rows[view.id] = view
        return True

    def cancelled_since(self, since):
        return [o.id for o in self.rows.values() if o.status == "cancelled"]


class FakeInstitutions:
    def __init__(self):
        self.rows: dict[str, tuple[int, InstitutionFacts]] = {}

    def facts(self, institution_id):
        row = self.rows.get(institution_id)
        return row[1] if row else None

    def store_newer(self, institution_id, version, facts):
        if institution_id in self.rows and self.rows[institution_id][0] >= version:
            return False
        self.rows[institution_id] = (version, facts)
        return True


class FakeCourses:
    def __init__(self):
        self.rows: dict[str, tuple[int, list[dict], str | None]] = {}

    def faculty(self, course_id):
        row = self.rows.get(course_id)
        return row[1] if row else None

    def status(self, course_id):
        row = self.rows.get(course_id)
        return row[2] if row else None

    def store_newer(self, course_id, version, provider, faculty, status=None):
        if course_id in self.rows and self.rows[course_id][0] >= version:
            return False
        self.rows[course_id] = (version, faculty, status)
        return True


class FakeDraws:
    def __init__(self):
        self.rows: dict[str, Draw] = {}
        self.locks: set[str] = set()

    def get(self, offering_id):
        return self.rows.get(offering_id)

    def outlines(self, offering_ids):
        return {i: DrawOutline(i, d.seed, d.created_at, frozenset(d.selected))
                for i in offering_ids if (d := self.rows.get(i)) is not None}

    def add(self, draw):
        return self.rows.setdefault(draw.offering_id, draw)

    def mark_applied(self, offering_id, at):
        self.rows[offering_id] = replace(self.rows[offering_id], applied_at=at)

    def unapplied(self):
        return [d for d in self.rows.values() if d.applied_at is None]

    def lock(self, offering_id):
        if offering_id in self.locks:
            return False
        self.locks.add(offering_id)
        return True

    def unlock(self, offering_id):
        self.locks.discard(offering_id)


class FakeSweeps:
    def __init__(self):
        self.scans: list[tuple] = []
        self.mark = None

    def release_orphans(self, older_than, since):
        self.scans.append((older_than, since))
        return set()

    def checked_until(self):
        return self.mark

    def note_checked(self, until):
        self.mark = until


class FakeBulkJobs:
    def __init__(self):
        self.jobs: dict[str, BulkJob] = {}
        self.batches: dict[str, dict[int, list[dict]]] = {}
        self.leases: dict[str, tuple[str, datetime]] = {}

    def add(self, job):
        self.jobs[job.id] = job

    def get(self, job_id):
        return self.jobs.get(job_id)

    def open_jobs(self, limit):
        return [j for j in self.jobs.values() if j.finished_at is None][:limit]

    def rows(self, job_id):
        return dict(self.batches.get(job_id, {}))

    def record_batch(self, job_id, n, rows, at):
        self.batches.setdefault(job_id, {}).setdefault(n, rows)

    def finish(self, job_id, at):
        self.jobs[job_id] = replace(self.jobs[job_id], finished_at=at)

    def lease(self, job_id, owner, now, seconds):
        held = self.leases.get(job_id)
        if held and held[0] != owner and held[1] > now:
            return False
        self.leases[job_id] = (owner, now + timedelta(seconds=seconds))
        return True

    def release(self, job_id, owner):
        if self.leases.get(job_id, (None,))[0] == owner:
            del self.leases[job_id]


def fake_ports(clock: FakeClock | None = None) -> Ports:
    """A full set of in-memory ports sharing one clock."""
    clock = clock or FakeClock()
    return Ports(clock=clock, places=FakePlaces(clock), seats=FakeSeats(),
                 waitlist=FakeWaitlist(clock), enrollments=FakeEnrollments(clock),
                 offerings=FakeOfferings(), institutions=FakeInstitutions(),
                 courses=FakeCourses(), draws=FakeDraws(), sweeps=FakeSweeps(),
                 jobs=FakeBulkJobs())


def an_offering(ports: Ports, **changes) -> OfferingView:
    """An open first-come offering (window around the fake clock's now), stored in `ports`."""
    now = ports.clock.now()
    view = OfferingView(id=changes.pop("id", "off_1"), course_id="crs_1",
                        provider_institution_id="ins_p", capacity=2,
                        enrollment_opens_at=now - timedelta(days=1),
                        enrollment_closes_at=now + timedelta(days=1), eligibility=None,
                        selection="first_come", waitlist=True, status="open", faculty=[],
                        version=1)
    view = replace(view, **changes)
    ports.offerings.rows[view.id] = view
    return view


def as_dict(value) -> dict:
    """A dataclass as a dict (for readable assertions)."""
    return asdict(value)
