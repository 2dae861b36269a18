"""In-memory fakes of the classroom's ports, for use-case tests without servers."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from meridian_classroom.application.classroom import Classroom
from meridian_classroom.application.errors import ScheduleBusy
from meridian_classroom.application.ports import Join, Member, OfferingView, ProviderChoice
from meridian_classroom.domain.attendance import OwnVisit, Visit
from meridian_classroom.domain.overlap import overlaps
from meridian_classroom.domain.session import Session, SessionEvent
from meridian_common.conflicts import Conflict


@dataclass
class FakeClock:
    at: datetime = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@dataclass
class FakeSessions:
    rows: dict[str, Session] = field(default_factory=dict)
    events: list[SessionEvent] = field(default_factory=list)

    def get(self, session_id):
        return self.rows.get(session_id)

    def many(self, session_ids):
        return {i: self.rows[i] for i in session_ids if i in self.rows}

    def following(self, session):
        return sorted((s for s in self.rows.values() if s.series_id == session.series_id
                       and s.status == "scheduled" and s.start > session.start),
                      key=lambda s: s.start)

    def scheduled_of(self, offering_id):
        return [s for s in self.rows.values()
                if s.offering_id == offering_id and s.status == "scheduled"]

    def overlapping(self, offering_id, instructors, start, end):
        wanted = set(instructors)
        return [s for s in self.rows.values() if s.status == "scheduled"
                and overlaps(s.start, s.end, start, end)
                and (s.offering_id == offering_id or wanted & set(s.instructors))]

    def page(self, offering_ids, begin, until, status, skip, limit):
        found = sorted((s for s in self.rows.values() if s.offering_id in offering_ids
                        and (begin is None or s.end > begin)
                        and (until is None or s.start < until)
                        and (status is None or s.status == status)),
                       key=lambda s: (s.start, s.id))
        return found[skip:skip + limit], len(found)

    def add(self, events):
        for event in events:
            if event.session.id in self.rows:
                raise Conflict("duplicate", "exists")
        for event in events:
            self.rows[event.session.id] = event.session
        self.events.extend(events)

    def offerings_without_rooms(self):
        return sorted({s.offering_id for s in self.rows.values() if not s.room})

    def without_room(self, offering_id):
        return [s.id for s in self.rows.values() if s.offering_id == offering_id and not s.room]

    def give_room(self, session_id, room):
        if self.rows[session_id].room:
            return False
        self.rows[session_id] = replace(self.rows[session_id], room=room)
        return True

    def save(self, event):
        stored = self.rows[event.session.id]
        if stored.version + 1 != event.session.version:
            raise Conflict("concurrent_update", "changed meanwhile")
        self.rows[event.session.id] = event.session
        self.events.append(event)


@dataclass
class FakeLease:
    busy: bool = False
    held: list[list[str]] = field(default_factory=list)

    @contextlib.contextmanager
    def holding(self, keys, wait_seconds):
        if self.busy:
            raise ScheduleBusy()
        self.held.append(sorted(set(keys)))
        yield


@dataclass
class FakeCatalog:
    offerings: dict[str, OfferingView] = field(default_factory=dict)
    institutions: dict[str, str] = field(default_factory=dict)

    def add(self, offering_id, faculty, timezone="Europe/London", status="open", code="SURG"):
        self.offerings[offering_id] = OfferingView(
            id=offering_id, course_id=f"crs-{offering_id}", timezone=timezone, status=status,
            faculty=dict(faculty), course_code=code, course_title="Surgery")

    def offering(self, offering_id):
        return self.offerings.get(offering_id)

    def taught_by(self, user_id):
        return sorted(o.id for o in self.offerings.values() if user_id in o.faculty)

    def labels(self, offering_ids):
        return {i: (self.offerings[i].course_code, self.offerings[i].course_title)
                for i in offering_ids if i in self.offerings}

    def institution_zones(self, institution_ids):
        return {i: self.institutions[i] for i in institution_ids if i in self.institutions}

    def record_offering(self, offering_id, version, fields):
        current = self.offerings[offering_id]
        self.offerings[offering_id] = replace(current, status=fields["status"])

    def seed_course(self, course_id, faculty):
        return None


@dataclass
class FakeRosters:
    entries: dict[tuple[str, str], dict] = field(default_factory=dict)

    def confirm(self, offering_id, student_id, institution_id=None):
        self.entries[offering_id, student_id] = {"status": "confirmed",
                                                 "institution_id": institution_id,
                                                 "enrollments": []}

    def is_confirmed(self, offering_id, user_id):
        return self.entries.get((offering_id, user_id), {}).get("status") == "confirmed"

    def offerings_of(self, user_id):
        return sorted(o for (o, u), e in self.entries.items()
                      if u == user_id and e["status"] == "confirmed")

    def members(self, offering_id):
        return [Member(u, e.get("institution_id")) for (o, u), e in self.entries.items()
                if o == offering_id and e["status"] == "confirmed"]

    def entry(self, offering_id, student_id):
        return self.entries.get((offering_id, student_id))

    def store(self, offering_id, student_id, fields, exists):
        self.entries[offering_id, student_id] = dict(fields)


@dataclass
class FakeAttendance:
    joins: list[Join] = field(default_factory=list)
    left: dict[str, datetime] = field(default_factory=dict)

    def record_join(self, join):
        self.joins.append(join)

    def open_joins(self, session_id, user_id, before):
        return sorted((j for j in self.joins if j.session_id == session_id
                       and (user_id is None or j.user_id == user_id)
                       and j.joined_at <= before and j.id not in self.left),
                      key=lambda j: j.joined_at, reverse=True)

    def record_leave(self, join, left_at):
        if join.id in self.left:
            return False
        self.left[join.id] = left_at
        return True

    def of_user(self, user_id, skip, limit):
        own = sorted((j for j in self.joins if j.user_id == user_id),
                     key=lambda j: (j.joined_at, j.id), reverse=True)
        return [OwnVisit(j.id, j.session_id, j.offering_id, j.joined_at, self.left.get(j.id))
                for j in own[skip:skip + limit]], len(own)

    def visits(self, session_id):
        return [Visit(j.user_id, j.role, j.joined_at, self.left.get(j.id))
                for j in self.joins if j.session_id == session_id]


@dataclass
class FakeZones:
    known: dict[str, str] = field(default_factory=dict)

    def remember(self, user_id, zone):
        self.known[user_id] = zone

    def zones(self, user_ids):
        return {u: self.known[u] for u in user_ids if u in self.known}


@dataclass
class FakeMeetingSettings:
    chosen: dict[str, ProviderChoice] = field(default_factory=dict)

    def choice(self, offering_id):
        return self.chosen.get(offering_id)

    def choose(self, offering_id, choice, user_id):
        self.chosen[offering_id] = choice


class FakeProvider:
    def join_url(self, choice, session, user_id, role):
        return f"https://meet.example/{session.room}?user={user_id}&role={role}"


@dataclass
class FakeFeeds:
    by_user: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def replace(self, user_id, token_hash, created_at):
        self.by_user[user_id] = (token_hash, created_at)

    def revoke(self, user_id):
        return self.by_user.pop(user_id, None) is not None

    def created_at(self, user_id):
        found = self.by_user.get(user_id)
        return found[1] if found else None

    def holder(self, token_hash):
        return next((u for u, (h, _at) in self.by_user.items() if h == token_hash), None)


@dataclass
class FakeReceipts:
    seen: dict[str, datetime] = field(default_factory=dict)

    def first_time(self, signature, at, forget_before):
        self.seen = {s: t for s, t in self.seen.items() if t >= forget_before}
        if signature in self.seen:
            return False
        self.seen[signature] = at
        return True


@dataclass(frozen=True)
class Person:
    user_id: str
    roles: frozenset[str] = frozenset({"student"})


def classroom(clock: FakeClock | None = None) -> Classroom:
    """A classroom wired to fresh fakes; reach them through its fields."""
    counter = itertools.count(1)
    return Classroom(sessions=FakeSessions(), lease=FakeLease(), catalog=FakeCatalog(),
                     rosters=FakeRosters(), attendance=FakeAttendance(), feeds=FakeFeeds(),
                     zones=FakeZones(), meeting_settings=FakeMeetingSettings(),
                     provider=FakeProvider(), receipts=FakeReceipts(), clock=clock or FakeClock(),
                     new_id=lambda prefix: f"{prefix}_{next(counter):04d}")


HOUR = timedelta(hours=1)
