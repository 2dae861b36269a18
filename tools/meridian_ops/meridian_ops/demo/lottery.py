"""The hospital programme's first cohort: applications close and the lottery is drawn.

The second cohort stays open for applications, so both stages can be seen in the demo.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from . import alliance, courses
from .client import ApiError, Gateway, eventually

SEED = "meridian-demo-2027-cohort-1"
FIRST_COHORT = f"lottery:{courses.LOTTERY_TERMS[0]}"


def _waiting_for_window(exc: ApiError) -> bool:
    # The enrollment service sees the closed window once the catalog's event arrives.
    return exc.status == 404 or exc.code == "enrollment_window_open"


def _first_cohort(offerings: dict[str, dict]) -> dict:
    return offerings[FIRST_COHORT]


def close_first_cohort(api: Gateway, admin: str, offerings: dict[str, dict]) -> None:
    """End cohort 1's applications now (if still open); the draw follows once this is known."""
    offering = _first_cohort(offerings)
    current = api.call("GET", f"/api/v1/offerings/{offering['id']}")
    closes = datetime.fromisoformat(current["enrollment_closes_at"].replace("Z", "+00:00"))
    now = datetime.now(UTC)
    if closes > now:
        api.call("PATCH", f"/api/v1/offerings/{offering['id']}", {
            "enrollment_closes_at": (now - timedelta(minutes=1)).isoformat()}, token=admin)


def draw_first_cohort(api: Gateway, offerings: dict[str, dict], kampala: dict) -> dict:
    """Draw cohort 1 with a published seed, as the programme's admin (same answer if drawn)."""
    offering = _first_cohort(offerings)
    programme_admin = api.token(alliance.admin(kampala), ("institution_admin",), kampala["id"],
                                kampala["timezone"])
    return eventually(lambda: api.call("POST", f"/api/v1/offerings/{offering['id']}/draw",
                                       {"seed": SEED}, token=programme_admin),
                      _waiting_for_window)
