"""The sender: claims due e-mails, sends them over a few SMTP connections, records each outcome.

A server that cannot be reached costs a message no attempt: its claim is released and the
sender backs off as a whole. A 4xx answer is a failed attempt, retried with backoff; a 5xx
answer marks the notification permanently failed (shown to admins).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ..domain.notification import Notification
from .delivery_message import build_message
from .delivery_ports import DEFERRED, REJECTED, SENT_OK, UNAVAILABLE, Delivery, Outcome
from .delivery_recorder import Recorder

log = logging.getLogger(__name__)
# A fan-out of 2,000 goes in two rounds: each round's query reads every due mail on FerretDB.
BATCH = 1000
# A connection's share goes out in pieces of this many, each recorded while the next is sent.
SEND_CHUNK = 100
_TALLY = threading.Lock()


@dataclass
class RoundResult:
    """What one sending round did."""

    sent: list[Notification]
    failed: list[Notification]
    released: int

    @property
    def server_down(self) -> bool:
        """True when nothing went out because the server could not be reached."""
        return self.released > 0 and not self.sent


def _chunks(items: list, parts: int) -> list[list]:
    size = max(1, -(-len(items) // parts))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _send_chunk(ctx: Delivery, mailer, chunk: list[Notification]) -> list[Outcome]:
    messages, outcomes, built = [], [None] * len(chunk), []
    for index, notification in enumerate(chunk):
        try:
            messages.append(build_message(notification, ctx.mail_from))
            built.append(index)
        except Exception as exc:  # a message that cannot be built never will be
            log.exception("building mail %s failed", notification.key)
            outcomes[index] = Outcome(REJECTED, f"unbuildable: {exc}")
    for index, outcome in zip(built, mailer.send_many(messages), strict=True):
        outcomes[index] = outcome
    return outcomes


def _settle(ctx: Delivery, chunk: list[Notification], outcomes: list[Outcome],
            result: RoundResult) -> tuple[list[Notification], list[Notification]]:
    """Each notification's state after its attempt (and those never tried), tallied."""
    now = ctx.clock.now()
    sent, failed, unreached = [], [], []
    for notification, outcome in zip(chunk, outcomes, strict=True):
        if outcome.status == SENT_OK:
            sent.append(notification.delivered(now))
        elif outcome.status == REJECTED:
            failed.append(notification.failed(outcome.error or "rejected", now, permanent=True))
        elif outcome.status == DEFERRED:
            failed.append(notification.failed(outcome.error or "deferred", now))
        else:
            unreached.append(notification)
    with _TALLY:
        result.sent.extend(sent)
        result.failed.extend(failed)
        result.released += len(unreached)
    return sent + failed, unreached


def _lane(ctx: Delivery, mailer, lane: list[Notification], recorder: Recorder,
          result: RoundResult) -> list[Future]:
    """Send one connection's share in pieces; each piece is recorded by `recorder` while
    the next one goes out, so the database's write time overlaps the server's."""
    recorded, reachable = [], True
    for start in range(0, len(lane), SEND_CHUNK):
        piece = lane[start:start + SEND_CHUNK]
        if reachable:
            outcomes = _send_chunk(ctx, mailer, piece)
            reachable = any(o.status != UNAVAILABLE for o in outcomes)
        else:  # the server went away: the rest of this share waits for a later round
            outcomes = [Outcome(UNAVAILABLE, "server unreachable")] * len(piece)
        recorded.append(recorder.submit(ctx, *_settle(ctx, piece, outcomes, result)))
    return recorded


def send_round(ctx: Delivery, limit: int = BATCH, scan: bool = True,
               recorder: Recorder | None = None) -> RoundResult:
    """Claim up to `limit` e-mails (just planned ones first; due ones from the store when
    `scan`) and send them, one share per mailer. Outcomes are recorded by `recorder` in the
    background (the worker's sender), or before returning when none is given."""
    result = RoundResult([], [], 0)
    now = ctx.clock.now()
    fresh = ctx.fresh.take(limit)
    if fresh:
        claimed = ctx.outbox.claim(fresh, now)
    elif scan:
        claimed = ctx.outbox.claim_batch(now, limit)
    else:
        return result
    if not claimed:
        return result
    lanes = _chunks(claimed, len(ctx.mailers))
    own = recorder is None
    recorder = recorder or Recorder()
    try:
        with ThreadPoolExecutor(max_workers=len(lanes)) as senders:
            shares = [senders.submit(_lane, ctx, mailer, lane, recorder, result)
                      for mailer, lane in zip(ctx.mailers, lanes, strict=False)]
            recorded = [future for share in shares for future in share.result()]
        if own:
            for future in recorded:
                future.result()
    finally:
        if own:
            recorder.close()
    if result.released:
        log.warning("mail server unreachable: %d e-mails wait for the next round",
                    result.released)
    return result
