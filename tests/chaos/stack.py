"""The chaos suite's hands on the stack: signals and restarts through supervisord, readiness.

Every program of deploy/local runs under supervisord; a SIGKILLed one is restarted by it
(autorestart), a stopped one by `restore`. Nothing here kills a process it did not look up
through the stack's own supervisorctl.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from prometheus_client import CollectorRegistry, multiprocess

from meridian_ops.readiness import wait_ready
from tests.support import env, supervisorctl, wait_for

READY_URLS = ("CATALOG_URL", "ENROLLMENT_URL", "CLASSROOM_URL", "GATEWAY_URL")


def states() -> dict[str, str]:
    """program → supervisord state (RUNNING, STOPPED, BACKOFF, FATAL, ...)."""
    found = {}
    for line in supervisorctl("status").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            found[parts[0]] = parts[1]
    return found


_baseline: set[str] = set()


def baseline() -> set[str]:
    """The programs running before the first fault (the ones `restore` brings back)."""
    if not _baseline:
        _baseline.update(p for p, state in states().items() if state == "RUNNING")
    return _baseline


def pid_of(program: str) -> int:
    """The main process id of a running program."""
    out = supervisorctl("pid", program).strip()
    if not out.isdigit() or out == "0":
        raise AssertionError(f"{program} is not running: {out!r}")
    return int(out)


def sigkill(program: str) -> int:
    """SIGKILL a program's main process (supervisord restarts it); returns the pid killed."""
    pid = pid_of(program)
    out = supervisorctl("signal", "KILL", program)
    assert "signalled" in out, out
    return pid


def stop(program: str) -> None:
    """Stop a program the way supervisord does (its stop signal, SIGTERM by default)."""
    out = supervisorctl("stop", program)
    assert "stopped" in out or "not running" in out, out


def children(pid: int) -> list[int]:
    """Child process ids of `pid` (gunicorn's workers of its master)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return sorted(found)


def requests_in_flight() -> dict[int, float]:
    """Worker pid → requests it is serving, from the services' own gauge.

    Read from the multiprocess files the gunicorn workers write, not through `/metrics`: under
    the burst a scrape waited 0.2 s behind the requests it was to count, and the kill that
    followed found them answered (0 clients interrupted, once on the clean-clone run).
    """
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=f"{env('RUN_DIR')}/prometheus")
    return {int(sample.labels["pid"]): sample.value
            for family in registry.collect()
            if family.name == "meridian_http_requests_in_flight"
            for sample in family.samples if "pid" in sample.labels}


class BusiestWorkerKill:
    """SIGKILL the gunicorn worker of `program` serving the most requests, once one serves at
    least `busy` (the master forks a new one).

    Killing the first worker found hit an idle one now and then (which worker accepts a
    burst's connections is the kernel's choice), and looking the workers up through
    supervisorctl at the moment of the fault took long enough under load for a burst to end.
    """

    def __init__(self, program: str, busy: int):
        self.program, self.busy = program, busy
        self.workers: set[int] = set()
        self.killed: tuple[int, float] | None = None

    def prepare(self) -> None:
        """Look the workers up before the load starts."""
        self.workers = set(children(pid_of(self.program)))

    def __call__(self) -> None:
        def busiest() -> tuple[int, float] | None:
            serving = [(value, pid) for pid, value in requests_in_flight().items()
                       if pid in self.workers]
            value, pid = max(serving, default=(0.0, 0))
            return (pid, value) if value >= self.busy else None

        self.killed = wait_for(busiest, timeout=30, interval=0.01,
                               message=f"a worker of {self.program} serving {self.busy} requests")
        os.kill(self.killed[0], signal.SIGKILL)


def restore(timeout: float = 180.0) -> None:
    """Start whatever is not running and wait until every service answers ready."""
    deadline = time.monotonic() + timeout

    programs = baseline()

    def all_running() -> bool:
        current = states()
        for program in programs:
            if current.get(program) in ("STOPPED", "EXITED", "FATAL"):
                supervisorctl("start", program)
        return all(current.get(p) == "RUNNING" for p in programs)

    wait_for(all_running, timeout=timeout, interval=0.5, message="every program RUNNING")
    left = max(5.0, deadline - time.monotonic())
    pending = wait_ready([f"{env(name)}/readyz" for name in READY_URLS], timeout=left)
    assert not pending, f"not ready after the fault: {pending}"
