"""One named constant per versioned event type: producers and consumers import these names.

A type's last segment is its schema version; a breaking change adds a `..._V2` constant beside
the old one instead of editing it (openedx-events does the same).
"""

from __future__ import annotations

INSTITUTION_CREATED = "lms.catalog.institution.created.v1"
INSTITUTION_UPDATED = "lms.catalog.institution.updated.v1"
COURSE_PUBLISHED = "lms.catalog.course.published.v1"
COURSE_UPDATED = "lms.catalog.course.updated.v1"
COURSE_ARCHIVED = "lms.catalog.course.archived.v1"
OFFERING_OPENED = "lms.catalog.offering.opened.v1"
OFFERING_UPDATED = "lms.catalog.offering.updated.v1"
OFFERING_CANCELLED = "lms.catalog.offering.cancelled.v1"

ENROLLMENT_CONFIRMED = "lms.enrollment.confirmed.v1"
ENROLLMENT_WAITLISTED = "lms.enrollment.waitlisted.v1"
ENROLLMENT_APPLIED = "lms.enrollment.applied.v1"
ENROLLMENT_PROMOTED = "lms.enrollment.promoted.v1"
ENROLLMENT_WITHDRAWN = "lms.enrollment.withdrawn.v1"
ENROLLMENT_CANCELLED = "lms.enrollment.cancelled.v1"

SESSION_SCHEDULED = "lms.classroom.session.scheduled.v1"
SESSION_RESCHEDULED = "lms.classroom.session.rescheduled.v1"
SESSION_CANCELLED = "lms.classroom.session.cancelled.v1"
ATTENDANCE_RECORDED = "lms.classroom.attendance.recorded.v1"

INSTITUTION_EVENTS = (INSTITUTION_CREATED, INSTITUTION_UPDATED)
COURSE_EVENTS = (COURSE_PUBLISHED, COURSE_UPDATED, COURSE_ARCHIVED)
OFFERING_EVENTS = (OFFERING_OPENED, OFFERING_UPDATED, OFFERING_CANCELLED)
ENROLLMENT_EVENTS = (ENROLLMENT_CONFIRMED, ENROLLMENT_WAITLISTED, ENROLLMENT_APPLIED,
                     ENROLLMENT_PROMOTED, ENROLLMENT_WITHDRAWN, ENROLLMENT_CANCELLED)
SESSION_EVENTS = (SESSION_SCHEDULED, SESSION_RESCHEDULED, SESSION_CANCELLED)

# Enrollment states a read model may see; producers and consumers share this one list.
ENROLLMENT_STATES = ("confirmed", "waitlisted", "applied", "withdrawn", "cancelled")
ACTIVE_ENROLLMENT_STATES = ("confirmed", "waitlisted", "applied")
