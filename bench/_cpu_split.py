"""Where a read's CPU goes: the gateway, the service, FerretDB and PostgreSQL, per answer.

Only for a stack on this machine: each part is found as the process listening on its port,
with its children (gunicorn's workers, PostgreSQL's backends), and charged the user + system
CPU time that `/proc/<pid>/stat` says it spent while one load run went on. On a machine shared
with other work this is steadier than wall-clock latency: time spent waiting for a core is not
counted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # local address is HEX_IP:HEX_PORT; state 0A is LISTEN
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                inodes.add(fields[9])
    return inodes


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def listener(port: int) -> int | None:
    """The pid of the process that holds the listening socket of `port` (oldest if shared)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    holders = []
    for pid in _pids():
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if links & wanted:
            holders.append(pid)
    return min(holders) if holders else None


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, CPU seconds of its children that ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK,
            (int(fields[13]) + int(fields[14])) / _TICK)


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by `root` and its children, live (one level down, as gunicorn
    and PostgreSQL fork them) or ended (the root's own count of them)."""
    total = 0.0
    for pid in _pids():
        stat = _stat(pid)
        if stat is None:
            continue
        if pid == root:
            total += stat[1] + stat[2]
        elif stat[0] == root:
            total += stat[1]
    return total


def parts(ports: dict[str, int]) -> dict[str, int]:
    """name → pid of each part whose port has a listener here (others are left out)."""
    found = {name: listener(port) for name, port in ports.items()}
    return {name: pid for name, pid in found.items() if pid is not None}


def cpu_per_answer(roots: dict[str, int], run: Callable[[], object],
                   answers: Callable[[object], int]) -> tuple[object, dict[str, float]]:
    """Run `run()`; its result, and per part the CPU ms it spent per answer."""
    before = {name: tree_cpu(pid) for name, pid in roots.items()}
    result = run()
    count = max(1, answers(result))
    return result, {name: 1000 * (tree_cpu(pid) - before[name]) / count
                    for name, pid in roots.items()}
