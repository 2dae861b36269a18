"""Relay nudges without I/O: the sender never raises and re-resolves its target now and then,
a burst of nudges makes one relay round, the sweep keeps its pace however often rounds run."""

from __future__ import annotations

import threading

import pytest

from meridian_common.config import Settings, load_settings
from meridian_common.messaging import relay, relay_nudge, relay_pacing
from meridian_common.messaging.relay_nudge import NUDGE_FAILURES, NudgeSender, nudge_relay


class FakeSocket:
    def __init__(self, family, error: OSError | None = None):
        self.family, self.error, self.sent = family, error, []

    def sendto(self, data, address):
        if self.error:
            raise self.error
        self.sent.append(address)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _failures(service: str) -> float:
    return NUDGE_FAILURES.labels(service)._value.get()


def _sender(service, resolve, sockets, clock=None, host="worker"):
    def open_socket(family):
        sockets.append(FakeSocket(family))
        return sockets[-1]
    return NudgeSender(f"{host}:8201", service, resolve=resolve, open_socket=open_socket,
                       run=lambda work: work(), clock=clock or Clock())


def test_a_send_that_fails_is_counted_and_never_raises():
    def open_socket(family):
        return FakeSocket(family, BlockingIOError("buffer full"))
    sender = NudgeSender("worker:8201", "nudge-full", resolve=lambda h, p: (2, ("10.0.0.5", p)),
                         open_socket=open_socket, run=lambda work: work())
    before = _failures("nudge-full")
    sender.nudge()
    sender.nudge()
    assert _failures("nudge-full") == before + 2


def test_an_unresolvable_name_is_counted_and_retried_later_not_on_every_nudge():
    calls, sockets, clock = [], [], Clock()

    def resolve(host, port):
        calls.append(host)
        raise OSError("name not known")

    sender = _sender("nudge-dns", resolve, sockets, clock)
    before = _failures("nudge-dns")
    for _ in range(50):
        sender.nudge()
    assert calls == ["worker"] and sockets == []
    assert _failures("nudge-dns") == before + 50
    clock.now += relay_nudge.RESOLVE_RETRY + 1
    sender.nudge()
    assert len(calls) == 2


def test_the_target_is_resolved_again_after_a_while_so_a_moved_worker_is_found():
    addresses = iter(["10.0.0.5", "10.0.0.9"])
    sockets, clock = [], Clock()
    sender = _sender("nudge-move", lambda h, p: (2, (next(addresses), p)), sockets, clock)
    sender.nudge()
    clock.now += relay_nudge.RESOLVE_EVERY - 1
    sender.nudge()
    clock.now += 2
    sender.nudge()
    assert sockets[0].sent == [("10.0.0.5", 8201), ("10.0.0.5", 8201), ("10.0.0.9", 8201)]


def test_a_name_is_looked_up_beside_the_caller_and_an_ip_at_once():
    started = []
    sender = NudgeSender("worker:8201", "nudge-bg", resolve=lambda h, p: (2, (h, p)),
                         open_socket=FakeSocket, run=started.append)
    sender.nudge()
    assert len(started) == 1, "the lookup runs in the background"
    direct = NudgeSender("127.0.0.1:8201", "nudge-ip", resolve=lambda h, p: (2, (h, p)),
                         open_socket=FakeSocket, run=started.append)
    before = _failures("nudge-ip")
    direct.nudge()
    assert len(started) == 1 and _failures("nudge-ip") == before


def test_nudge_relay_reaches_only_the_sender_bound_to_this_context():
    nudged = []

    class Sender:
        def nudge(self):
            nudged.append(threading.current_thread().name)

    nudge_relay()
    token = relay_nudge.bind(Sender())
    try:
        nudge_relay()
        other = threading.Thread(target=nudge_relay, name="unbound")
        other.start()
        other.join()
    finally:
        relay_nudge._bound.reset(token)
    assert nudged == [threading.current_thread().name]


def test_addresses_parse_and_nudged_settings_poll_slower(monkeypatch):
    assert relay_nudge.parse_address("catalog-worker:8201") == ("catalog-worker", 8201)
    assert relay_nudge.parse_address("[::1]:8201") == ("::1", 8201)
    monkeypatch.setenv("MERIDIAN_RELAY_NUDGE_ADDRESS", "127.0.0.1:8201")
    monkeypatch.delenv("MERIDIAN_RELAY_POLL_SECONDS", raising=False)
    nudged = load_settings("catalog")
    assert nudged.relay_nudge_address == "127.0.0.1:8201"
    assert nudged.relay_poll_seconds > Settings(service="catalog").relay_poll_seconds
    monkeypatch.delenv("MERIDIAN_RELAY_NUDGE_ADDRESS")
    assert load_settings("catalog").relay_nudge_address == ""


class BurstOfNudges:
    """A listener holding `pending` nudges; once they are taken, the next wait ends the loop."""

    def __init__(self, pending: int, stop: threading.Event):
        self.pending, self.stop, self.waits = pending, stop, []

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        if not self.pending:
            self.stop.set()
            return False
        return self.drain()

    def drain(self) -> bool:
        taken, self.pending = bool(self.pending), 0
        return taken


def test_a_burst_of_nudges_makes_one_round_not_one_per_nudge(monkeypatch):
    stop = threading.Event()
    nudges = BurstOfNudges(300, stop)
    outbox = relay.OutboxRelay(Settings(service="catalog", relay_poll_seconds=5.0), None, [],
                               nudges)
    rounds = []
    monkeypatch.setattr(outbox, "run_once", lambda: rounds.append(1) or 0)
    outbox.run_forever(stop)
    assert len(rounds) == 2  # the first round, then one for the whole burst
    assert nudges.waits == [5.0, 5.0]


@pytest.mark.parametrize("pause", [0.01, 0.05, 0.25, 1.0])
def test_the_sweep_covers_its_window_in_the_same_time_whatever_the_round_rate(monkeypatch,
                                                                               pause):
    clock = Clock()
    monkeypatch.setattr(relay_pacing.time, "monotonic", clock)
    pace = relay_pacing.SweepPace()
    swept = 0
    pace.share()
    while clock.now < 100.0 + relay_pacing.SWEEP_PASS_SECONDS:
        clock.now += pause
        swept += pace.share()
    window = int(relay_pacing.SWEEP_WINDOW.total_seconds())
    assert window - 20 <= swept <= window + 1
