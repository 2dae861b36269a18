"""The course aggregate: what it holds, how it is created and how it may be edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.types import COURSE_UPDATED

from .change import Change
from .search import course_terms

SEARCHABLE = ("code", "title", "summary", "tags")


@dataclass
class FacultyMember:
    """One member of a course's teaching team."""

    user_id: str
    role: str


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


def faculty_from(members: list[dict]) -> list[FacultyMember]:
    """Faculty members from their loaded input."""
    return [FacultyMember(user_id=m["user_id"], role=m["role"]) for m in members]


def new_course(course_id: str, now: datetime, fields: dict) -> Course:
    """A draft course from validated input (drafts announce nothing)."""
    values = {**fields, "faculty": faculty_from(fields.get("faculty", []))}
    course = Course(id=course_id, status="draft", version=1, created_at=now, updated_at=now,
                    **values)
    course.search_terms = course_terms(course.code, course.title, course.summary, course.tags)
    return course


def edit(course: Course, fields: dict) -> Change:
    """The change an edit makes; only published courses announce it, archives are frozen."""
    if course.status == "archived":
        raise Conflict("invalid_state", "Archived courses cannot be edited.")
    values = dict(fields)
    if "faculty" in values:
        values["faculty"] = faculty_from(values["faculty"])
    merged = {name: values.get(name, getattr(course, name)) for name in SEARCHABLE}
    values["search_terms"] = course_terms(merged["code"], merged["title"], merged["summary"],
                                          merged["tags"])
    return Change(values, (COURSE_UPDATED,) if course.status == "published" else ())
