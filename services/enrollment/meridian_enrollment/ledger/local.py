"""Per-process queueing of claims on one offering.

Correctness never depends on it (unique inserts decide), but letting one thread of a process
claim an offering's seats or tickets at a time means a rush of requests costs a few losing
inserts per process instead of one per competing thread.
"""

from __future__ import annotations

import threading

_MAX_LOCKS = 10_000
_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()


def offering_lock(offering_id: str) -> threading.Lock:
    """The process-wide lock for claims on `offering_id`."""
    with _registry:
        lock = _locks.get(offering_id)
        if lock is None:
            if len(_locks) >= _MAX_LOCKS:
                _locks.clear()  # at worst two threads briefly queue apart: only slower
            lock = _locks[offering_id] = threading.Lock()
        return lock
