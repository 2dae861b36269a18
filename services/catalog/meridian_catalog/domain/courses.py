"""The course aggregate: what it holds, how it is created and how it may be edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.types import COURSE_UPDATED

from .change import Change
from .faculty import FacultyMember, assign
from .search import course_terms

SEARCHABLE = ("code", "title", "summary", "tags")


@dataclass
class Course:
    """A course of the shared catalog."""

    id: str
    code: str
    title: str
    provider_institution_id: str
    languages: list[str]
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    summary: str = ""
    discipline: str | None = None
    level: str | None = None
    credits: float | None = None
    tags: list[str] = field(default_factory=list)
    faculty: list[FacultyMember] = field(default_factory=list)
    search_terms: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass(frozen=True)
class Author:
    """Who writes a course: listing other people as faculty invites them, except for
    platform admins."""

    user_id: str
    is_platform_admin: bool


# Domain tests and loaders that build courses directly act as the platform.
PLATFORM = Author(user_id="", is_platform_admin=True)


def new_course(course_id: str, now: datetime, fields: dict, author: Author = PLATFORM) -> Course:
    """A draft course from validated input (drafts announce nothing)."""
    values = {**fields, "faculty": assign(course_id, [], fields.get("faculty", []),
                                          author.user_id, author.is_platform_admin)}
    course = Course(id=course_id, status="draft", version=1, created_at=now, updated_at=now,
                    **values)
    course.search_terms = course_terms(course.code, course.title, course.summary, course.tags)
    return course


def edit(course: Course, fields: dict, author: Author = PLATFORM) -> Change:
    """The change an edit makes; only published courses announce it, archives are frozen."""
    if course.status == "archived":
        raise Conflict("invalid_state", "Archived courses cannot be edited.")
    values = dict(fields)
    if "faculty" in values:
        values["faculty"] = assign(course.id, course.faculty, values["faculty"],
                                   author.user_id, author.is_platform_admin)
    merged = {name: values.get(name, getattr(course, name)) for name in SEARCHABLE}
    values["search_terms"] = course_terms(merged["code"], merged["title"], merged["summary"],
                                          merged["tags"])
    return Change(values, (COURSE_UPDATED,) if course.status == "published" else ())
