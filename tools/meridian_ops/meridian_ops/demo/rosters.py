"""Enroll the demo's students through the enrollment API, as institution admins would.

Each batch is one bulk-rostering call by the admin of the students' own institution. Students
already enrolled are left out, so a second run sends (next to) nothing. The enrollment
service learns offerings and institutions from catalog events, a moment after they exist:
until then it answers 404 (offering) or 403 `institution_unknown`, and the call is retried.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from . import alliance
from .client import ApiError, Gateway, eventually
from .plan import Batch


def not_yet_known(exc: ApiError) -> bool:
    """The enrollment service has not yet seen the catalog event this call depends on.

    The plan only sends students whose institution may join, so a refusal as not eligible
    can only mean an eligibility change that has not reached the enrollment service yet.
    """
    return exc.status == 404 or exc.body.get("reason") in ("institution_unknown",
                                                           "not_eligible")


def roster(api: Gateway, token: str, offering_id: str, patience: float | None = None) -> dict:
    """The offering's roster (confirmed, waitlisted, applied), once enrollment knows it."""
    return eventually(lambda: api.call("GET", f"/api/v1/offerings/{offering_id}/roster",
                                       token=token, patience=patience),
                      lambda exc: exc.status == 404)


def on_roster(answer: dict) -> set[str]:
    """Every student with an active enrollment in a roster answer."""
    return {e["student_id"] for status in ("confirmed", "waitlisted", "applied")
            for e in answer.get(status, [])}


def _present(api: Gateway, token: str, offering: dict, planned: set[str], new: bool
             ) -> set[str]:
    """Students of `planned` already on the offering, as cheaply as can be known."""
    if new:
        return set()
    counted = offering.get("seats_taken", 0) + offering.get("waitlist_length", 0)
    if offering["selection"] == "first_come" and counted >= len(planned):
        return planned
    # Reading a roster is slow on a large database; when it times out, send everyone and let
    # the bulk call answer `already_enrolled` for those who are.
    try:
        return on_roster(roster(api, token, offering["id"], patience=15))
    except ApiError as exc:
        if exc.status not in (502, 503, 504):
            raise
        return set()


def _admin_token(api: Gateway, institution: dict) -> str:
    return api.token(alliance.admin(institution), ("institution_admin",),
                     institution["id"], institution["timezone"])


def finished_job(api: Gateway, job: dict, token: str, timeout: float = 600.0) -> dict:
    """Poll a bulk enrollment job (202 + job body) until the worker has finished it."""
    deadline = time.monotonic() + timeout
    while job["status"] != "done":
        if time.monotonic() > deadline:
            raise ApiError("GET", f"/api/v1/enrollment-jobs/{job['id']}", 504,
                           {"code": "bulk_job_timeout", "detail": "the job did not finish"})
        time.sleep(0.5)
        job = api.call("GET", f"/api/v1/enrollment-jobs/{job['id']}", token=token)
    return job


def _run_offering(api: Gateway, admin: str, institutions: dict[str, dict], offering: dict,
                  new: bool, batches: list[Batch]) -> Counter:
    offering_id = offering["id"]
    present = _present(api, admin, offering, {s for b in batches for s in b.students}, new)
    outcome: Counter = Counter()
    for batch in batches:
        todo = [s for s in batch.students if s not in present]
        outcome["already enrolled"] += len(batch.students) - len(todo)
        if not todo:
            continue
        token = _admin_token(api, institutions[batch.institution])
        try:
            answer = eventually(lambda t=token, ids=todo: api.call(
                "POST", f"/api/v1/offerings/{offering_id}/enrollments/bulk",
                {"student_ids": ids}, token=t), not_yet_known)
            answer = finished_job(api, answer, token)
        except ApiError as exc:
            if exc.status not in (403, 409, 422):
                raise
            # The whole offering refuses (closed, cancelled, drawn): report it, go on.
            outcome[f"refused ({exc.code})"] += len(todo)
            continue
        already = sum(r.get("code") == "already_enrolled" for r in answer["results"])
        outcome.update(answer["summary"])
        outcome.subtract({"refused": already, "already enrolled": -already})
    return +outcome


def enroll(api: Gateway, admin: str, pool: ThreadPoolExecutor, institutions: dict[str, dict],
           offerings: dict[str, dict], created: set[str], batches: list[Batch]) -> Counter:
    """Run every batch; offerings in parallel, each offering's batches in plan order."""
    by_offering: dict[str, list[Batch]] = defaultdict(list)
    for batch in batches:
        by_offering[batch.offering].append(batch)
    results = pool.map(lambda key: _run_offering(api, admin, institutions, offerings[key],
                                                 key in created, by_offering[key]),
                       sorted(by_offering))
    return sum(results, Counter())
