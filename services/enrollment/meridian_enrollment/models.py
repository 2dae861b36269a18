"""Enrollment documents."""

ALL_DOCUMENTS: tuple = ()
OUTBOX_COLLECTIONS: list[str] = []
