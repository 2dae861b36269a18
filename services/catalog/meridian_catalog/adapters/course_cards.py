"""The course search read model: one slim card per course, written with each course write.

FerretDB 1.24 decodes, in Go and whole, every document that matches a filter, to count it and
again to sort it (projections apply after decoding, and neither count nor sort reaches
PostgreSQL). Searching the courses collection decoded each course's embedded outbox and faculty
twice per request. A card holds as top-level fields only what a search filters and sorts on,
and the course itself as one JSON string that no query looks into, so a card is cheap to decode
on FerretDB, and the same compound indexes serve the count and the sorted page on MongoDB.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime

from mongoengine import Document, IntField, ListField, StringField

from meridian_common.persistence.readmodels import apply_newest
from meridian_common.persistence.server import find_in, is_ferretdb

from ..domain.courses import Course
from ..domain.faculty import FacultyMember
from ..domain.search import CourseFilter

_DATES = {f.name for f in fields(Course) if "datetime" in str(f.type)}


class CourseCard(Document):
    """What a search filters and sorts on, and the course as JSON (`course`)."""

    id = StringField(primary_key=True)
    status = StringField(required=True)
    title = StringField(required=True)
    terms = ListField(StringField())
    languages = ListField(StringField())
    discipline = StringField(null=True)
    level = StringField(null=True)
    provider_institution_id = StringField(required=True)
    version = IntField(required=True)
    course = StringField(required=True)
    # Equality → sort, as on the courses collection: each filter's index ends in the title.
    meta = {"collection": "course_cards", "indexes": [
        ("status", "title", "id"),
        ("status", "terms", "title"),
        ("status", "provider_institution_id", "title"),
        ("status", "languages", "title"),
        ("status", "discipline", "title"),
        ("status", "level", "title"),
    ]}


def _as_stored(moment: datetime) -> datetime:
    # BSON dates hold milliseconds: the card says what the course document says.
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def encode(course: Course) -> str:
    """The course as the card's JSON string (dates as ISO 8601)."""
    values = {f.name: getattr(course, f.name) for f in fields(Course)}
    for name in _DATES:
        if values[name] is not None:
            values[name] = _as_stored(values[name]).isoformat()
    # Lists read from mongoengine documents are its own list type, which asdict cannot copy.
    for name in ("languages", "tags", "search_terms"):
        values[name] = list(values[name])
    values["faculty"] = [asdict(member) for member in course.faculty]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def decode(text: str) -> Course:
    """The course a card's JSON string holds."""
    values = json.loads(text)
    for name in _DATES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    values["faculty"] = [FacultyMember(**member) for member in values.get("faculty", [])]
    return Course(**values)


def card_query(wanted: CourseFilter) -> dict:
    """The pymongo filter of a search on cards.

    All words must match: the first one as `$eq` too, which FerretDB pushes down to
    PostgreSQL's index (it leaves `$all` to Go); MongoDB reads the same as the `$all` alone.
    """
    query: dict = {"status": wanted.status}
    if wanted.terms:
        query["terms"] = {"$eq": wanted.terms[0], "$all": list(wanted.terms)}
    for name, value in (("languages", wanted.language), ("discipline", wanted.discipline),
                        ("level", wanted.level)):
        if value is not None:
            query[name] = value
    if wanted.provider_ids is not None:
        query["provider_institution_id"] = {"$in": sorted(wanted.provider_ids)}
    return query


class CourseCards:
    """Cards written by whoever won the course's version-guarded write (one writer per
    version); the newest version wins if two requests' card writes cross."""

    def put(self, course: Course) -> bool:
        """Store the card of this version of `course` unless a newer one is stored."""
        return apply_newest(CourseCard._get_collection(), course.id, course.version, {
            "status": course.status, "title": course.title, "terms": list(course.search_terms),
            "languages": list(course.languages), "discipline": course.discipline,
            "level": course.level, "provider_institution_id": course.provider_institution_id,
            "course": encode(course)})

    def get(self, course_id: str) -> Course | None:
        """The course as its card holds it, or None without a card."""
        card = CourseCard._get_collection().find_one({"_id": course_id}, {"course": 1})
        return None if card is None else decode(card["course"])

    def search(self, wanted: CourseFilter, page: int, per_page: int) -> tuple[list[Course], int]:
        """One page of matching courses by title (then id), and the total."""
        collection, query = CourseCard._get_collection(), card_query(wanted)
        if is_ferretdb(collection.database):
            return _search_sorted_here(collection, query, page, per_page)
        total = collection.count_documents(query)
        if total <= (page - 1) * per_page:
            return [], total
        found = collection.find(query, {"course": 1}).sort([("title", 1), ("_id", 1)])
        found = found.skip((page - 1) * per_page).limit(per_page)
        return [decode(card["course"]) for card in found], total

    def version_of(self, course_id: str) -> int:
        """The version the course's card holds (0 without a card)."""
        card = CourseCard._get_collection().find_one({"_id": course_id}, {"version": 1})
        return 0 if card is None else int(card["version"])

    def versions(self) -> dict[str, int]:
        """Every card's course id and version."""
        return {card["_id"]: card["version"]
                for card in CourseCard._get_collection().find({}, {"version": 1})}


def _search_sorted_here(collection, query: dict, page: int,
                        per_page: int) -> tuple[list[Course], int]:
    # FerretDB 1.24 counts and sorts in Go, decoding every match for the count and again for
    # the sorted page. Sorting the matches' titles here decodes each once, plus the page's
    # cards by id (930 cards, 100 matches: 28-32 ms against 43 ms). Python orders strings by
    # code point, as MongoDB and FerretDB order them by UTF-8 bytes.
    keys = sorted((card["title"], card["_id"]) for card in collection.find(query, {"title": 1}))
    ids = [course_id for _title, course_id in keys[(page - 1) * per_page:page * per_page]]
    if not ids:
        return [], len(keys)
    # The filter again: a card rewritten between the two reads (archived, say) is left out.
    found = {card["_id"]: card["course"]
             for card in find_in(collection, "_id", ids, query=query,
                                 projection={"course": 1})}
    return [decode(found[course_id]) for course_id in ids if course_id in found], len(keys)
