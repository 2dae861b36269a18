"""One fault per scenario under a keyed enrollment load (see scenario.py for the checks)."""

from __future__ import annotations

import pytest

from . import scenario
from .faults import FAULTS, QUICK, WORKER_KILL


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", [
    pytest.param(name, marks=() if name in QUICK else pytest.mark.chaos_full)
    for name in FAULTS])
def test_the_invariants_hold_after_the_fault(name, mongo_client, chaos_table):
    figures = scenario.run(FAULTS[name], mongo_client)
    chaos_table.append(figures)
    assert not figures.problems, figures.problems
    assert figures.converged_seconds is not None
    if name == "api-worker-sigkill":
        # The kill hit requests in flight, and their clients still finished enrolled.
        assert figures.interrupted >= 1, \
            f"no client saw the kill of (pid, requests in flight) {WORKER_KILL.killed}"
