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


def sigkill_one_api_worker(program: str) -> int:
    """SIGKILL one gunicorn worker of `program` (the master forks a new one)."""
    workers = children(pid_of(program))
    assert workers, f"{program} has no gunicorn workers"
    os.kill(workers[0], signal.SIGKILL)
    return workers[0]


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
