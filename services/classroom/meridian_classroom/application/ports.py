"""The small interfaces the use cases call; `adapters/` implements them on MongoDB and HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ..domain.attendance import OwnVisit, Visit
from ..domain.session import Session, SessionEvent


@dataclass(frozen=True)
class OfferingView:
    """An offering as catalog events describe it, with its course's faculty (user → role)."""

    id: str
    course_id: str
    timezone: str
    status: str
    faculty: dict[str, str]
    course_code: str = ""
    course_title: str = ""


@dataclass(frozen=True)
class Member:
    """A confirmed student of an offering and the institution they enrolled through."""

    student_id: str
    institution_id: str | None


@dataclass(frozen=True)
class Join:
    """One stored click on join."""

    id: str
    session_id: str
    offering_id: str
    user_id: str
    role: str
    provider: str
    joined_at: datetime


@dataclass(frozen=True)
class ProviderChoice:
    """The provider an offering uses, and whether faculty chose it or it is the default."""

    provider: str
    url: str | None
    configured: bool
    updated_at: datetime | None = None
    # Jitsi without token authentication: anyone who learns the room name can enter.
    public_room: bool = False


class Clock(Protocol):
    def now(self) -> datetime: ...


class Sessions(Protocol):
    """Stored sessions; each write stores the state and its events together."""

    def get(self, session_id: str) -> Session | None: ...
    def following(self, session: Session) -> list[Session]: ...
    def scheduled_of(self, offering_id: str) -> list[Session]: ...
    def overlapping(self, offering_id: str, instructors: Iterable[str], start: datetime,
                    end: datetime) -> list[Session]: ...
    def page(self, offering_ids: list[str], begin: datetime | None, until: datetime | None,
             status: str | None, skip: int, limit: int) -> tuple[list[Session], int]: ...
    def add(self, events: list[SessionEvent]) -> None: ...
    def save(self, event: SessionEvent) -> None: ...
    def many(self, session_ids: list[str]) -> dict[str, Session]: ...
    def offerings_without_rooms(self) -> list[str]: ...
    def without_room(self, offering_id: str) -> list[str]: ...
    def give_room(self, session_id: str, room: str) -> bool: ...


class ScheduleLease(Protocol):
    """Serialises writers of one offering's or instructor's schedule."""

    def holding(self, keys: list[str], wait_seconds: float) -> AbstractContextManager: ...


class Catalog(Protocol):
    """Offerings, courses (with their faculty) and institutions, as catalog events told us."""

    def offering(self, offering_id: str) -> OfferingView | None: ...
    def taught_by(self, user_id: str) -> list[str]: ...
    def labels(self, offering_ids: list[str]) -> dict[str, tuple[str, str]]: ...
    def institution_zones(self, institution_ids: list[str]) -> dict[str, str]: ...
    def record_institution(self, institution_id: str, version: int, timezone: str) -> None: ...
    def record_course(self, course_id: str, version: int, fields: dict) -> None: ...
    def seed_course(self, course_id: str, faculty: list[dict]) -> None: ...
    def record_offering(self, offering_id: str, version: int, fields: dict) -> None: ...


class Rosters(Protocol):
    """One entry per (offering, student): their enrollments' newest states."""

    def is_confirmed(self, offering_id: str, user_id: str) -> bool: ...
    def offerings_of(self, user_id: str) -> list[str]: ...
    def members(self, offering_id: str) -> list[Member]: ...
    def entry(self, offering_id: str, student_id: str) -> dict | None: ...
    def store(self, offering_id: str, student_id: str, fields: dict, exists: bool) -> None: ...


class Attendance(Protocol):
    """Joins and departures, each stored with its `attendance.recorded` event."""

    def record_join(self, join: Join) -> None: ...
    def open_joins(self, session_id: str, user_id: str | None,
                   before: datetime) -> list[Join]: ...
    def record_leave(self, join: Join, left_at: datetime) -> bool: ...
    def visits(self, session_id: str) -> list[Visit]: ...
    def of_user(self, user_id: str, skip: int, limit: int) -> tuple[list[OwnVisit], int]: ...


class Feeds(Protocol):
    def replace(self, user_id: str, token_hash: str, created_at: datetime) -> None: ...
    def revoke(self, user_id: str) -> bool: ...
    def created_at(self, user_id: str) -> datetime | None: ...
    def holder(self, token_hash: str) -> str | None: ...


class UserZones(Protocol):
    def remember(self, user_id: str, zone: str) -> None: ...
    def zones(self, user_ids: list[str]) -> dict[str, str]: ...


class MeetingSettings(Protocol):
    def choice(self, offering_id: str) -> ProviderChoice | None: ...
    def choose(self, offering_id: str, choice: ProviderChoice, user_id: str) -> None: ...


class HookReceipts(Protocol):
    """Webhook deliveries already acted on."""

    def first_time(self, signature: str, at: datetime, forget_before: datetime) -> bool: ...


class MeetingProvider(Protocol):
    """Turns a session and a person into a join URL (BigBlueButton, Jitsi, an external URL)."""

    def join_url(self, choice: ProviderChoice, session: Session, user_id: str,
                 role: str) -> str: ...
