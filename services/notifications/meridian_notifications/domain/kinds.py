"""The kinds of notification Meridian sends, and which of them concern one session."""

from __future__ import annotations

ENROLLMENT_CONFIRMED = "enrollment_confirmed"
ENROLLMENT_WAITLISTED = "enrollment_waitlisted"
ENROLLMENT_PROMOTED = "enrollment_promoted"
ENROLLMENT_WITHDRAWN = "enrollment_withdrawn"
LOTTERY_RESULT = "lottery_result"
OFFERING_CANCELLED = "offering_cancelled"
SESSION_SCHEDULED = "session_scheduled"
SESSION_RESCHEDULED = "session_rescheduled"
SESSION_CANCELLED = "session_cancelled"
REMINDER = "reminder"
DIGEST = "digest"

ALL = (ENROLLMENT_CONFIRMED, ENROLLMENT_WAITLISTED, ENROLLMENT_PROMOTED, ENROLLMENT_WITHDRAWN,
       LOTTERY_RESULT, OFFERING_CANCELLED, SESSION_SCHEDULED, SESSION_RESCHEDULED,
       SESSION_CANCELLED, REMINDER, DIGEST)
# Mails about one session carry an iCalendar invitation (REQUEST, or CANCEL).
WITH_INVITATION = (SESSION_SCHEDULED, SESSION_RESCHEDULED, SESSION_CANCELLED)
# Kinds a daily digest may gather; reminders are time-critical and always go out alone.
DIGESTIBLE = tuple(k for k in ALL if k not in (REMINDER, DIGEST))
