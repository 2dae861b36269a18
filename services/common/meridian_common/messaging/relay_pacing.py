"""When the outbox relay runs its next round, and how many older slots that round sweeps."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

# A write stalled longer than the relay's LATE_WRITE is found by the sweep: rounds also read
# older slots of the last SWEEP_WINDOW, in turn, as many as the time since the last round
# earns at one pass per SWEEP_PASS_SECONDS. The window is covered every few seconds however
# often rounds run (a slow idle poll reads several slots a round, a rush of nudged rounds
# mostly none), and no round reads more than a few seconds of writes (no periodic wide round
# that holds everything else back).
SWEEP_WINDOW = timedelta(seconds=90)
SWEEP_PASS_SECONDS = 5.0
# A nudged round starts at least this long (or ROUND_SHARE times the last find) after the
# previous one ended, so a burst of writes (or of datagrams from anywhere) makes a few rounds,
# not one per write, and finding events still takes at most a fifth of the relay's time.
NUDGE_GAP_SECONDS = 0.01
ROUND_SHARE = 4.0


class SweepPace:
    """Hands out older slots to sweep at one pass over the window per SWEEP_PASS_SECONDS."""

    def __init__(self):
        self._credit = 0.0
        self._last_round: float | None = None

    def share(self) -> int:
        """How many older slots this round sweeps: the window's pace times the time elapsed."""
        now = time.monotonic()
        elapsed = 0.0 if self._last_round is None else now - self._last_round
        self._last_round = now
        per_second = SWEEP_WINDOW.total_seconds() / SWEEP_PASS_SECONDS
        self._credit = min(self._credit + elapsed * per_second, per_second)
        share = int(self._credit)
        self._credit -= share
        return share


def pause_between_rounds(stop: threading.Event, nudges, pause: float,
                         find_seconds: float) -> None:
    """Wait `pause` s, or until nudged (then a little more, for the burst to gather).

    `nudges` is a NudgeListener (messaging/relay_nudge.py) or None for a plain poll.
    """
    if nudges is None:
        stop.wait(pause)
        return
    began = time.monotonic()
    if not nudges.wait(pause) or stop.is_set():
        return
    # Nudges that arrive within the gap fold into the same round.
    gap = max(NUDGE_GAP_SECONDS, ROUND_SHARE * find_seconds)
    if stop.wait(max(0.0, gap - (time.monotonic() - began))):
        return
    nudges.drain()
