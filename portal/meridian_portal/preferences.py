"""The settings form: notification preferences to and from the API's body."""

from __future__ import annotations

import re

# Reminder offsets a person picks from (minutes before the session); others go in a text field.
PRESET_REMINDERS = (10080, 2880, 1440, 180, 60, 15)
DIGESTS = ("off", "daily")
_MINUTES = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")


def form_of(prefs: dict) -> dict:
    """The form's values for the API's preferences."""
    chosen = [m for m in prefs.get("reminders_minutes") or [] if isinstance(m, int)]
    channels = prefs.get("channels") or {}
    return {"email_channel": bool(channels.get("email", True)),
            "portal_channel": bool(channels.get("portal", True)),
            "reminders": [m for m in chosen if m in PRESET_REMINDERS],
            "other_reminders": ", ".join(str(m) for m in chosen if m not in PRESET_REMINDERS),
            "digest": prefs.get("digest") or "off",
            "locale": prefs.get("locale") or "en", "timezone": prefs.get("timezone") or "UTC"}


def form_from(posted) -> dict:
    """The form's values from a posted form (a MultiDict)."""
    return {"email_channel": posted.get("email_channel") == "on",
            "portal_channel": posted.get("portal_channel") == "on",
            "reminders": [int(v) for v in posted.getlist("reminders") if v.isdigit()],
            "other_reminders": (posted.get("other_reminders") or "").strip(),
            "digest": posted.get("digest") or "", "locale": posted.get("locale") or "",
            "timezone": (posted.get("timezone") or "").strip()}


def form_errors(form: dict, zone_ok) -> dict[str, list[str]]:
    """The portal's own checks (codes translated by the template); the API checks the rest."""
    errors: dict[str, list[str]] = {}
    if form["other_reminders"] and not _MINUTES.match(form["other_reminders"]):
        errors["reminders_minutes"] = ["reminder_minutes"]
    if not zone_ok(form["timezone"]):
        errors["timezone"] = ["unknown_zone"]
    return errors


def api_body(form: dict) -> dict:
    """The PUT /me/notification-preferences body (editable fields only), offsets longest first."""
    extra = [int(v) for v in re.split(r"\s*,\s*", form["other_reminders"]) if v.strip()]
    minutes = sorted(set(form["reminders"]) | set(extra), reverse=True)
    return {"channels": {"email": form["email_channel"], "portal": form["portal_channel"]},
            "reminders_minutes": minutes, "digest": form["digest"], "locale": form["locale"],
            "timezone": form["timezone"]}


def by_field(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The API's messages per form field: `reminders_minutes.0` and `channels.email` belong
    to the field groups `reminders_minutes` and `channels`."""
    grouped: dict[str, list[str]] = {}
    for name, messages in errors.items():
        grouped.setdefault(name.split(".", 1)[0], []).extend(messages)
    return grouped
