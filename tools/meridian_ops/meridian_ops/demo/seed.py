"""`meridian demo seed`: load the whole demo through the gateway, step by step, idempotently."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from . import addresses, alliance, catalog, lottery, offerings, plan, rosters, sessions, summary
from .client import Gateway

# Copies loaded at once with --scale: much of a copy's time is spent waiting for events to
# reach the other services, which a second copy's requests fill; a third mostly adds 503s.
COPIES_AT_ONCE = 2


class _Steps:
    """Prints each step with its duration, so a slow step is easy to spot."""

    _lock = threading.Lock()

    def __init__(self, out, prefix: str = ""):
        self.out = out
        self.prefix = prefix
        self.started = time.monotonic()

    def run(self, label: str, action):
        """Run one step and report how long it took."""
        began = time.monotonic()
        result = action()
        with self._lock:
            print(f"  {self.prefix}{label:<40} {time.monotonic() - began:5.1f} s",
                  file=self.out, flush=True)
        return result

    @property
    def elapsed(self) -> float:
        """Seconds since the first step began."""
        return time.monotonic() - self.started


def seed(gateway: str, parallel: int = 6, out=None, scale: int = 1) -> dict:
    """Create whatever part of the demo (`scale` copies of it) is missing; returns its figures.

    The figures are copy 1's, plus `scale` and `totals` (summed over every copy).
    """
    if scale < 1:
        raise ValueError(f"--scale must be at least 1, not {scale}")
    out = out or sys.stdout
    api = Gateway(gateway)
    started = time.monotonic()
    copies = f" ({scale} copies)" if scale > 1 else ""
    print(f"loading the demo alliance{copies} through {gateway}", file=out, flush=True)

    def load(copy: int) -> dict:
        prefix = f"[{copy}/{scale}] " if scale > 1 else ""
        return _seed_copy(api, copy, parallel, _Steps(out, prefix))

    with ThreadPoolExecutor(min(scale, COPIES_AT_ONCE)) as copies_pool:
        futures = [copies_pool.submit(load, copy) for copy in range(1, scale + 1)]
        for done in as_completed(futures):
            if done.exception() is not None:
                # Stop at the first copy that fails instead of loading the rest first.
                copies_pool.shutdown(wait=True, cancel_futures=True)
                raise done.exception()
    every = [future.result() for future in futures]
    figures = {**every[0], "scale": scale, "totals": summary.totals(every)}
    print(summary.report(figures, time.monotonic() - started, gateway), file=out, flush=True)
    return figures


def _seed_copy(api: Gateway, copy: int, parallel: int, steps: _Steps) -> dict:
    """Load one copy of the alliance; returns the figures read back."""
    # One platform admin per copy: each copy's catalog calls count against its own rate limit.
    admin = api.token("demo-admin" if copy == 1 else f"demo-admin-{copy}", ("admin",))
    if copy == 1:
        steps.run("persona mail addresses (notifications)", lambda: addresses.register(api))
    with ThreadPoolExecutor(parallel) as pool:
        insts = steps.run("institutions", lambda: catalog.ensure_institutions(
            api, admin, pool, copy))
        found = steps.run("courses (published)",
                          lambda: catalog.ensure_courses(api, admin, pool, insts, copy))
        changchun = insts[alliance.named("Changchun School of Medicine", copy)]["id"]
        offered, created = steps.run("offerings", lambda: offerings.ensure_offerings(
            api, admin, pool, found, changchun))
        keys = plan.OfferingKeys.of(offered)
        batches = plan.roster_plan(keys.general, keys.changchun, keys.lottery, copy)
        # Cohort 1 applies first and closes at once: its closed window reaches the enrollment
        # service while everyone else enrolls, so the draw need not wait for it. The surgical
        # course goes first too: its events reach the classroom (timetables) soonest.
        early = (lottery.FIRST_COHORT, "surgery")
        first = [b for b in batches if b.offering in early]
        outcome = steps.run("Oxford cohort, lottery cohort 1", lambda: rosters.enroll(
            api, admin, pool, insts, offered, created, first))
        lottery.close_first_cohort(api, admin, offered)
        rest = [b for b in batches if b.offering not in early]
        outcome += steps.run(f"enrollments ({len(rest)} bulk calls)", lambda: rosters.enroll(
            api, admin, pool, insts, offered, created, rest))
        scheduled = steps.run("live sessions", lambda: sessions.schedule(api, found, offered))
        draw = steps.run("lottery draw (cohort 1)", lambda: lottery.draw_first_cohort(
            api, offered, insts[alliance.named("Kampala School of Medicine", copy)]))
        figures = steps.run("seat counts read back from the catalog", lambda: summary.collect(
            api, pool, insts, found, offered, batches, scheduled, draw))
    figures["this_run"] = dict(outcome)
    return figures
