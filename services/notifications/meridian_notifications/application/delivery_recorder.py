"""Storing the outcomes of sent mail behind the sender, a bounded distance behind.

On FerretDB an update rewrites the whole document (10 to 15 ms for a notification), so
recording a fan-out's 2,000 outcomes took longer than sending it; the sender's rounds waited
for it. A `Recorder` stores them on its own threads while the sender goes on, at most
`pending` pieces behind: that bounds the mail a crash would send a second time (the claims
expire and the mail goes again with the same Message-ID; see ADR 0011).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from ..domain.notification import Notification
from .delivery_ports import Delivery

log = logging.getLogger(__name__)
RECORDERS = 2
PENDING_PIECES = 20


def record(ctx: Delivery, attempted: list[Notification], unreached: list[Notification]) -> None:
    """Store the state after each attempt; give up the claims of mail never tried."""
    ctx.outbox.mark_many(attempted)
    if unreached:
        ctx.outbox.release(unreached)


class Recorder:
    """Runs `record` on a few threads, blocking the caller while `pending` pieces wait."""

    def __init__(self, threads: int = RECORDERS, pending: int = PENDING_PIECES):
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="recorder")
        self._room = threading.BoundedSemaphore(pending)

    def submit(self, ctx: Delivery, attempted: list[Notification],
               unreached: list[Notification]) -> Future:
        """Record one piece's outcomes in the background."""
        self._room.acquire()
        future = self._pool.submit(record, ctx, attempted, unreached)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        self._room.release()
        if future.exception() is not None:
            # The claims stay held: this process never sends that mail again, another one
            # does once the claims expire (at least once, same Message-ID).
            log.error("recording sent mail failed", exc_info=future.exception())

    def close(self) -> None:
        """Wait for every piece to be recorded."""
        self._pool.shutdown(wait=True)
