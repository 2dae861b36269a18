"""The worker's delivery loops: the sender and the reminder scheduler, with their metrics."""

from __future__ import annotations

import logging
import threading
import time

from ..application.delivery_digest import send_digests
from ..application.delivery_ports import Delivery
from ..application.delivery_recorder import Recorder
from ..application.delivery_reminders import fire_due
from ..application.delivery_replans import apply_replans
from ..application.delivery_sender import send_round
from .metrics import FAILED, REMINDER_LAG, SENT

log = logging.getLogger(__name__)
IDLE_SECONDS = 0.2
# The store is scanned for due e-mails (retries, other workers' or a restart's leftovers)
# this often; mail this process just planned goes out without waiting for a scan.
SCAN_SECONDS = 2.0
SCHEDULER_SECONDS = 1.0
LONGEST_BACKOFF = 15.0


def sender_task(ctx: Delivery):
    """A worker task sending due e-mails until stopped; backs off while the server is down."""

    def sender(stop: threading.Event) -> None:
        backoff, scanned = 0.5, 0.0
        recorder = Recorder()  # outcomes stored while the next round goes out
        while not stop.is_set():
            scan = time.monotonic() - scanned >= SCAN_SECONDS
            try:
                result = send_round(ctx, scan=scan, recorder=recorder)
                if scan:
                    scanned = time.monotonic()
            except Exception:  # the database or the server hiccuped; the next round retries
                log.warning("sending round failed; will retry", exc_info=True)
                stop.wait(backoff)
                backoff = min(backoff * 2, LONGEST_BACKOFF)
                continue
            for notification in result.sent:
                SENT.labels("email", notification.kind).inc()
            for notification in result.failed:
                FAILED.labels("email", str(notification.state == "permanently_failed").lower()
                              ).inc()
            if result.server_down:
                FAILED.labels("email", "false").inc(result.released)
                stop.wait(backoff)
                backoff = min(backoff * 2, LONGEST_BACKOFF)
                continue
            backoff = 0.5
            if not (result.sent or result.failed):
                stop.wait(IDLE_SECONDS)
        recorder.close()

    return sender


def scheduler_task(ctx: Delivery):
    """A worker task re-planning reminders whose reader chose other offsets, firing due
    reminders and digests, every second until stopped."""

    def reminder_scheduler(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                apply_replans(ctx)
                _fired, lags = fire_due(ctx)
                for lag in lags:
                    REMINDER_LAG.observe(max(lag, 0.0))
                send_digests(ctx)
            except Exception:
                log.warning("reminder round failed; will retry", exc_info=True)
            stop.wait(SCHEDULER_SECONDS)

    return reminder_scheduler
