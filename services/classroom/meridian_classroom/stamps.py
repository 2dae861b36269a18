"""Stamps and the lists cached under them (see `userindex.py` and `sessioncache.py`).

A stamp is a random value renewed after every write that may change what is cached under it;
a cached list records the stamp it was computed under and is used only while that still holds.
"""

from __future__ import annotations

from mongoengine import Document, ListField, StringField


class Stamp(Document):
    """A key and its current random stamp."""

    id = StringField(primary_key=True)
    stamp = StringField(required=True)
    meta = {"abstract": True}


class CachedOfferings(Stamp):
    """Offering ids computed for a key, with the stamp they were computed under."""

    offerings = ListField(StringField())
    meta = {"abstract": True}


class StudentStamp(Stamp):
    """Renewed whenever one of the student's roster entries changes."""

    meta = {"collection": "student_stamps"}


class StudentOfferings(CachedOfferings):
    """A student's confirmed offerings."""

    meta = {"collection": "student_offerings"}


class FacultyStamp(Stamp):
    """Renewed whenever the set of offerings a user teaches may change."""

    meta = {"collection": "faculty_stamps"}


class FacultyOfferings(CachedOfferings):
    """The offerings of every course a user teaches."""

    meta = {"collection": "faculty_offerings"}


class OfferingStamp(Stamp):
    """Renewed after every write to one of the offering's sessions."""

    meta = {"collection": "offering_stamps"}
