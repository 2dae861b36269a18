"""One chaos scenario: an offering, a keyed load, one fault in the middle of it, the checks.

The stack is restored (every program running, every service ready) whatever happens, before
the checks run and again if the scenario itself fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from tests.integration.test_enrollment_support import Catalog, enrollment_db, wait_for_view
from tests.support import env, wait_for

from . import stack
from .checks import Convergence, Figures, check_clients, check_state, publish_poison
from .load import Load

CAPACITY = 8
# Clients give up this long after their first try: "every client finished" means before it.
CLIENT_DEADLINE_SECONDS = 120.0
# The stated bound: read models converged and lag 0 this long after the fault ended.
CONVERGENCE_BOUND_SECONDS = 60.0


@dataclass(frozen=True)
class Fault:
    """A named fault: `inject()` starts it, `heal()` ends it (restore() then checks)."""

    name: str
    inject: Callable[[], object]
    heal: Callable[[], object] = lambda: None
    # Runs before the load starts (what the fault must know beforehand).
    prepare: Callable[[], object] = lambda: None
    down_seconds: float = 0.0
    # Clients start this far apart; a burst (0) puts many requests in flight at once.
    spacing_seconds: float = 0.15
    clients: int = 40
    # Inject once this many clients were answered 201.
    after_acked: int = 8
    # Clients call the enrollment service itself instead of the gateway.
    direct: bool = False


def new_offering(gateway_url: str, mongo) -> str:
    """A fresh open offering with a waitlist, known to the enrollment service."""
    with requests.Session() as session:
        catalog = Catalog(session, gateway_url)
        provider = catalog.institution()
        course = catalog.course(provider["id"])
        offering = catalog.offering(course["id"], capacity=CAPACITY, waitlist=True)
    wait_for_view(enrollment_db(mongo), offering["id"])
    return offering["id"]


def run(fault: Fault, mongo) -> Figures:
    """Run the scenario; the figures carry every broken invariant in `problems`."""
    gateway_url = env("GATEWAY_URL")
    stack.baseline()
    figures = Figures(fault.name)
    offering_id = new_offering(gateway_url, mongo)
    load = Load(env("ENROLLMENT_URL") if fault.direct else gateway_url, offering_id,
                fault.clients, fault.spacing_seconds, CLIENT_DEADLINE_SECONDS)
    try:
        fault.prepare()
        load.start()
        wait_for(lambda: len(load.acked()) >= fault.after_acked, timeout=120, interval=0.05,
                 message=f"{fault.after_acked} enrollments before the fault")
        fault.inject()
        time.sleep(fault.down_seconds)  # the outage itself: how long the fault lasts
        fault.heal()
        healed = time.monotonic()
        stack.restore()
        figures.timeline["ready"] = round(time.monotonic() - healed, 1)
        load.join()
        figures.timeline["clients"] = round(time.monotonic() - healed, 1)
    finally:
        stack.restore()
    check_clients(load, figures)
    truth = check_state(mongo, load, CAPACITY, figures)
    convergence = Convergence(offering_id, truth, publish_poison(offering_id))
    try:
        convergence.wait(healed, CONVERGENCE_BOUND_SECONDS, figures)
    finally:
        convergence.close()
    return figures
