"""Labels for the API's codes (session kinds, statuses), translated once per page."""

from __future__ import annotations

from flask_babel import gettext as _


def labels() -> dict[str, dict[str, str]]:
    """Kind and status labels in the current language."""
    return {
        "kind": {"lecture": _("Lecture"), "seminar": _("Seminar"), "workshop": _("Workshop"),
                 "office_hours": _("Office hours")},
        "status": {"confirmed": _("Enrolled"), "waitlisted": _("On the waitlist"),
                   "applied": _("Applied (lottery)"), "withdrawn": _("Withdrawn"),
                   "refused": _("Refused"), "open": _("Open"), "cancelled": _("Cancelled"),
                   "draft": _("Draft"), "published": _("Published"), "archived": _("Archived"),
                   "scheduled": _("Scheduled"), "already_enrolled": _("Already enrolled"),
                   "failed": _("Failed")},
    }
