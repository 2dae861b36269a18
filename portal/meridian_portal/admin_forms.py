"""Admin forms mapped to API bodies: courses, offerings with eligibility, bulk-enrollment CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

STUDENT_ID = re.compile(r"^[A-Za-z0-9._@:-]{1,128}$")
MAX_ROWS = 1000


def _words(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def course_body(form, provider: str) -> dict:
    """POST /courses from the course form (faculty: `user_id:role` per line)."""
    faculty = []
    for line in (form.get("faculty") or "").splitlines():
        user_id, _, role = line.strip().partition(":")
        if user_id:
            faculty.append({"user_id": user_id.strip(), "role": role.strip() or "instructor"})
    credits = form.get("credits", "")
    return {"code": form.get("code", "").strip(), "title": form.get("title", "").strip(),
            "summary": form.get("summary", "").strip(), "provider_institution_id": provider,
            "languages": _words(form.get("languages", "")) or ["en"],
            "discipline": form.get("discipline", "").strip(),
            "level": form.get("level", "").strip(),
            "credits": int(credits) if credits.isdigit() else credits,
            "tags": _words(form.get("tags", "")), "faculty": faculty}


def local_to_utc(value: str, zone: str) -> str:
    """A `datetime-local` value read in `zone`, as RFC 3339 UTC (unparseable text passes on)."""
    try:
        local = datetime.fromisoformat(value)
        instant = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    except (ValueError, KeyError):
        return value
    return instant.isoformat().replace("+00:00", "Z")


def offering_body(form) -> dict:
    """POST /courses/{id}/offerings from the offering form and its eligibility pickers."""
    zone = form.get("timezone", "UTC")
    eligibility = {"institutions": form.getlist("institutions"),
                   "alliances": form.getlist("alliances"),
                   "countries": form.getlist("countries")}
    capacity = form.get("capacity", "")
    return {"term": form.get("term", "").strip(), "starts_on": form.get("starts_on", ""),
            "ends_on": form.get("ends_on", ""), "timezone": zone,
            "capacity": int(capacity) if capacity.isdigit() else capacity,
            "enrollment_opens_at": local_to_utc(form.get("enrollment_opens_at", ""), zone),
            "enrollment_closes_at": local_to_utc(form.get("enrollment_closes_at", ""), zone),
            "eligibility": eligibility if any(eligibility.values()) else None,
            "selection": "lottery" if form.get("selection") == "lottery" else "first_come",
            "waitlist": form.get("waitlist") == "on"}


def csv_rows(data: bytes) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Student ids by line from an uploaded CSV (first column; a `student_id` header is
    skipped), and the lines refused before asking the API: (line, text, reason code)."""
    text = data.decode("utf-8-sig", errors="replace")
    good, bad, seen = [], [], set()
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = (row[0] if row else "").strip()
        if number == 1 and value.lower() in {"student_id", "student", "id"}:
            continue
        if not value:
            continue
        if not STUDENT_ID.match(value):
            bad.append((number, value, "invalid_id"))
        elif value in seen:
            bad.append((number, value, "duplicate"))
        elif len(good) >= MAX_ROWS:
            bad.append((number, value, "too_many"))
        else:
            seen.add(value)
            good.append((number, value))
    return good, bad
