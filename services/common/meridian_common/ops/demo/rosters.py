"""Enroll the demo's students through the enrollment API, as institution admins would.

Each batch is one bulk-rostering call by the admin of the students' own institution. Students
already on an offering's roster are left out, so a second run sends nothing. The enrollment
service learns offerings and institutions from catalog events, a moment after they exist:
until then it answers 404 (offering) or 403 `institution_unknown`, and the call is retried.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from . import alliance
from .client import ApiError, Gateway, eventually
from .plan import Batch


def not_yet_known(exc: ApiError) -> bool:
    """The enrollment service has not yet seen the catalog event this call depends on."""
    return exc.status == 404 or exc.body.get("reason") == "institution_unknown"


def roster(api: Gateway, token: str, offering_id: str) -> dict:
    """The offering's roster (confirmed, waitlisted, applied), once enrollment knows it."""
    return eventually(lambda: api.call("GET", f"/api/v1/offerings/{offering_id}/roster",
                                       token=token), lambda exc: exc.status == 404)


def on_roster(answer: dict) -> set[str]:
    """Every student with an active enrollment in a roster answer."""
    return {e["student_id"] for status in ("confirmed", "waitlisted", "applied")
            for e in answer.get(status, [])}


def _admin_token(api: Gateway, institution: dict) -> str:
    return api.token(f"admin-{alliance.slug(institution['city'])}", ("institution_admin",),
                     institution["id"], institution["timezone"])


def _run_offering(api: Gateway, admin: str, institutions: dict[str, dict], offering_id: str,
                  batches: list[Batch]) -> Counter:
    present = on_roster(roster(api, admin, offering_id))
    outcome: Counter = Counter()
    for batch in batches:
        todo = [s for s in batch.students if s not in present]
        outcome["already enrolled"] += len(batch.students) - len(todo)
        if not todo:
            continue
        token = _admin_token(api, institutions[batch.institution])
        answer = eventually(lambda t=token, ids=todo: api.call(
            "POST", f"/api/v1/offerings/{offering_id}/enrollments/bulk",
            {"student_ids": ids}, token=t), not_yet_known)
        outcome.update(answer["summary"])
    return outcome


def enroll(api: Gateway, admin: str, pool: ThreadPoolExecutor, institutions: dict[str, dict],
           offerings: dict[str, dict], batches: list[Batch]) -> Counter:
    """Run every batch; offerings in parallel, each offering's batches in plan order."""
    by_offering: dict[str, list[Batch]] = defaultdict(list)
    for batch in batches:
        by_offering[batch.offering].append(batch)
    results = pool.map(lambda key: _run_offering(api, admin, institutions,
                                                 offerings[key]["id"], by_offering[key]),
                       sorted(by_offering))
    return sum(results, Counter())
