"""Rate-limit counters: shared storage while it answers, each worker's memory while it does not."""

import logging

from limits import parse

from meridian_gateway.counters import Counters

LIMIT = parse("2/hour")


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class BrokenStorage:
    """A strategy whose storage refuses every call, and counts the attempts."""

    def __init__(self):
        self.calls = 0

    def hit(self, *_args, **_kwargs):
        self.calls += 1
        raise ConnectionError("refused")

    def get_window_stats(self, *_args):
        self.calls += 1
        raise ConnectionError("refused")


def _counters(clock):
    return Counters("memory://", {}, "sliding-window-counter", retry_seconds=5, clock=clock)


def test_counts_in_the_shared_storage_and_refuses_past_the_limit():
    counters = _counters(Clock())
    assert [counters.hit(LIMIT, "p", "user:a", "caller") for _ in range(3)] == [True, True, False]
    assert counters.hit(LIMIT, "p", "user:b", "caller"), "another caller has a counter of its own"
    assert counters.reset_at(LIMIT, "p", "user:a", "caller") > 0


def test_an_unreachable_storage_falls_back_to_memory_and_is_tried_again_later(caplog):
    clock = Clock()
    counters = _counters(clock)
    broken = counters._shared = BrokenStorage()
    with caplog.at_level(logging.WARNING):
        answers = [counters.hit(LIMIT, "user:a") for _ in range(3)]
    assert answers == [True, True, False], "still limited, from memory"
    assert broken.calls == 1, "the storage is not asked again within the retry interval"
    assert caplog.text.count("falling back to in-memory storage") == 1
    assert counters.reset_at(LIMIT, "user:a") > 0 and broken.calls == 1
    clock.now += 5
    assert not counters.hit(LIMIT, "user:a")
    assert broken.calls == 2, "asked again once the interval is over"
