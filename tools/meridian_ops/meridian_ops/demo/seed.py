"""`meridian demo seed`: load the whole demo through the gateway, step by step, idempotently."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

from . import catalog, lottery, offerings, plan, rosters, sessions, summary
from .client import Gateway


class _Steps:
    """Prints each step with its duration, so a slow step is easy to spot."""

    def __init__(self, out):
        self.out = out
        self.started = time.monotonic()

    def run(self, label: str, action):
        """Run one step and report how long it took."""
        began = time.monotonic()
        result = action()
        print(f"  {label:<40} {time.monotonic() - began:5.1f} s", file=self.out, flush=True)
        return result

    @property
    def elapsed(self) -> float:
        """Seconds since the first step began."""
        return time.monotonic() - self.started


def seed(gateway: str, parallel: int = 6, out=None) -> dict:
    """Create whatever part of the demo is missing; returns the figures read back."""
    out = out or sys.stdout
    api = Gateway(gateway)
    admin = api.token("demo-admin", ("admin",))
    steps = _Steps(out)
    print(f"loading the demo alliance through {gateway}", file=out, flush=True)
    with ThreadPoolExecutor(parallel) as pool:
        insts = steps.run("institutions", lambda: catalog.ensure_institutions(api, admin, pool))
        found = steps.run("courses (published)",
                          lambda: catalog.ensure_courses(api, admin, pool, insts))
        changchun = insts["Changchun School of Medicine"]["id"]
        offered, created = steps.run("offerings", lambda: offerings.ensure_offerings(
            api, admin, pool, found, changchun))
        keys = plan.OfferingKeys.of(offered)
        batches = plan.roster_plan(keys.general, keys.changchun, keys.lottery)
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
            api, offered, insts["Kampala School of Medicine"]))
        figures = steps.run("seat counts read back from the catalog", lambda: summary.collect(
            api, pool, insts, found, offered, batches, scheduled, draw))
    figures["this_run"] = dict(outcome)
    print(summary.report(figures, steps.elapsed, gateway), file=out, flush=True)
    return figures
