"""The schedule form: mapping to the API's body and a preview of every occurrence by zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

KINDS = ("lecture", "seminar", "workshop", "office_hours")
STEP = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
MAX_PREVIEW = 52


@dataclass(frozen=True)
class LocalTime:
    """One occurrence as seen in one zone; `shifted` when a clock change moved it: its UTC
    offset or its local time of day differs from the first occurrence's there."""

    zone: str
    start: datetime
    shifted: bool


@dataclass(frozen=True)
class Occurrence:
    """One planned session: its instant and how it reads in each zone of interest."""

    index: int
    start_utc: datetime
    gap: bool
    views: tuple[LocalTime, ...]


def form_errors(form: dict) -> dict[str, list[str]]:
    """The portal's own checks before asking the API (codes translated by the template)."""
    errors: dict[str, list[str]] = {}
    if form.get("kind") not in KINDS:
        errors["kind"] = ["choose_kind"]
    if not (form.get("title") or "").strip():
        errors["title"] = ["required"]
    try:
        datetime.fromisoformat(form.get("start") or "")
    except ValueError:
        errors["start"] = ["local_datetime"]
    if not str(form.get("duration_minutes") or "").isdigit():
        errors["duration_minutes"] = ["whole_minutes"]
    if form.get("repeat") in STEP and not str(form.get("count") or "").isdigit():
        errors["repeat.count"] = ["whole_number"]
    if not form.get("instructors"):
        errors["instructors"] = ["choose_instructor"]
    return errors


def faculty_choices(faculty: list[dict], me: str) -> list[dict]:
    """The course's faculty as picker options (`user_id`, `role`, `me`), the lead first;
    just the viewer when the course's faculty is unknown."""
    order = {"lead": 0, "instructor": 1, "ta": 2}
    # Invitees cannot be booked until they accept (the API refuses them with 422).
    people = {f["user_id"]: f.get("role", "instructor") for f in faculty
              if isinstance(f, dict) and f.get("user_id") and f.get("status") != "invited"}
    if not people:
        people = {me: "instructor"}
    ranked = sorted(people.items(), key=lambda item: (order.get(item[1], 3), item[0]))
    return [{"user_id": uid, "role": role, "me": uid == me} for uid, role in ranked]


def default_instructors(choices: list[dict]) -> list[str]:
    """The viewer when they teach the course, else its lead (admins schedule for others)."""
    if not choices:
        return []
    mine = [c["user_id"] for c in choices if c["me"]]
    return mine or [choices[0]["user_id"]]


def api_body(form: dict) -> dict:
    """The POST /offerings/{id}/sessions body for a checked form."""
    repeat = None
    if form.get("repeat") in STEP:
        repeat = {"frequency": form["repeat"], "count": int(form.get("count") or 1)}
    start = datetime.fromisoformat(form["start"]).replace(second=0, microsecond=0)
    return {"kind": form["kind"], "title": form["title"].strip(),
            "start": start.isoformat(timespec="minutes"), "timezone": form["timezone"],
            "duration_minutes": int(form["duration_minutes"]),
            "instructors": list(dict.fromkeys(form["instructors"])),
            "repeat": repeat}


def _instant(local: datetime, zone: ZoneInfo) -> tuple[datetime, bool]:
    aware = local.replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    # A wall-clock time inside a spring-forward gap does not round-trip.
    gap = utc.astimezone(zone).replace(tzinfo=None) != local
    return utc, gap


def preview(start: str, zone: str, repeat: str | None, count: int,
            zones: list[str]) -> list[Occurrence]:
    """Every occurrence of the series: wall-clock steps in `zone` (as the API schedules them),
    shown in each of `zones`, marking where DST moved the offset since the first one."""
    home = ZoneInfo(zone)
    first_local = datetime.fromisoformat(start).replace(second=0, microsecond=0)
    total = max(1, min(count, MAX_PREVIEW)) if repeat in STEP else 1
    step = STEP.get(repeat or "", timedelta(0))
    occurrences: list[Occurrence] = []
    first: dict[str, tuple] = {}
    for index in range(total):
        utc, gap = _instant(first_local + step * index, home)
        views = []
        for name in zones:
            local = utc.astimezone(ZoneInfo(name))
            seen = (local.utcoffset(), local.time())
            first.setdefault(name, seen)
            views.append(LocalTime(name, local, seen != first[name]))
        occurrences.append(Occurrence(index + 1, utc, gap, tuple(views)))
    return occurrences
