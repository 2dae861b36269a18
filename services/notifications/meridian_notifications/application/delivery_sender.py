"""The sender: claims due e-mails, sends them over a few SMTP connections, records each outcome.

A server that cannot be reached costs a message no attempt: its claim is released and the
sender backs off as a whole. A 4xx answer is a failed attempt, retried with backoff; a 5xx
answer marks the notification permanently failed (shown to admins).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..domain.notification import Notification
from .delivery_message import build_message
from .delivery_ports import DEFERRED, REJECTED, SENT_OK, Delivery, Outcome

log = logging.getLogger(__name__)
BATCH = 400


@dataclass(frozen=True)
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


def send_round(ctx: Delivery, limit: int = BATCH) -> RoundResult:
    """Claim up to `limit` due e-mails and send them, one connection per mailer."""
    claimed = ctx.outbox.claim_batch(ctx.clock.now(), limit)
    if not claimed:
        return RoundResult([], [], 0)
    chunks = _chunks(claimed, len(ctx.mailers))
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        results = list(pool.map(lambda pair: _send_chunk(ctx, *pair),
                                zip(ctx.mailers, chunks, strict=False)))
    now = ctx.clock.now()
    sent, failed, unreached = [], [], []
    for chunk, outcomes in zip(chunks, results, strict=True):
        for notification, outcome in zip(chunk, outcomes, strict=True):
            if outcome.status == SENT_OK:
                sent.append(notification.delivered(now))
            elif outcome.status == REJECTED:
                failed.append(notification.failed(outcome.error or "rejected", now,
                                                  permanent=True))
            elif outcome.status == DEFERRED:
                failed.append(notification.failed(outcome.error or "deferred", now))
            else:
                unreached.append(notification)
    done = sent + failed
    if done:
        ctx.outbox.mark_many(done)
    if unreached:
        ctx.outbox.release(unreached)
        log.warning("mail server unreachable: %d e-mails wait for the next round",
                    len(unreached))
    return RoundResult(sent, failed, len(unreached))
