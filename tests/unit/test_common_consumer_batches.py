"""The consumer's poll loop, without I/O: the batch hook sees every message of a batch once each
is handled, before the batch is committed, and an outage in it is retried like a handler's; a
commit that meets a rebalance leaves the batch for redelivery and the loop polling."""

from __future__ import annotations

import threading
from collections import namedtuple

import pytest
from kafka.errors import CommitFailedError, RebalanceInProgressError
from pymongo.errors import AutoReconnect

from meridian_common.config import Settings
from meridian_common.messaging import consumer as consumer_module

Message = namedtuple("Message", "topic partition offset key value headers")


class ScriptedConsumer:
    """Answers each poll with the next scripted batch, then sets `stop`."""

    def __init__(self, batches: list[dict], stop: threading.Event, journal: list,
                 commit_errors: tuple[Exception, ...] = ()):
        self.batches, self.stop, self.journal = list(batches), stop, journal
        self.commit_errors = list(commit_errors)

    def poll(self, timeout_ms: int) -> dict:
        if not self.batches:
            self.stop.set()
            return {}
        return self.batches.pop(0)

    def commit(self) -> None:
        if self.commit_errors:
            self.journal.append("commit refused")
            raise self.commit_errors.pop(0)
        self.journal.append("commit")

    def assignment(self) -> set:
        return set()

    def close(self, autocommit: bool = True) -> None:
        self.journal.append("close")


def _consumer(monkeypatch, batches, after_batch, journal, commit_errors=()):
    stop = threading.Event()
    events = consumer_module.EventConsumer(Settings(service="catalog"), None, "catalog",
                                           ["lms.enrollment"], {}, after_batch)
    monkeypatch.setattr(events, "handle", lambda message: journal.append(("handled", message.key)))
    scripted = ScriptedConsumer(batches, stop, journal, commit_errors)
    monkeypatch.setattr(consumer_module, "join_when_ready", lambda *_args: scripted)
    monkeypatch.setattr(consumer_module.time, "sleep", lambda _seconds: None)
    return events, stop


def _message(key: bytes, offset: int) -> Message:
    return Message("lms.enrollment", 0, offset, key, b"{}", [])


def test_the_hook_sees_the_whole_batch_after_its_handlers_and_before_the_commit(monkeypatch):
    journal: list = []
    batches = [{"tp0": [_message(b"off_1", 0), _message(b"off_2", 1)],
                "tp1": [_message(b"off_1", 2)]}, {"tp0": [_message(b"off_3", 3)]}]
    events, stop = _consumer(monkeypatch, batches,
                             lambda batch: journal.append(("batch", [m.key for m in batch])),
                             journal)
    events.run_forever(stop)
    assert journal == [("handled", b"off_1"), ("handled", b"off_2"), ("handled", b"off_1"),
                       ("batch", [b"off_1", b"off_2", b"off_1"]), "commit",
                       ("handled", b"off_3"), ("batch", [b"off_3"]), "commit", "close"]


def test_an_outage_in_the_hook_is_retried_before_anything_is_committed(monkeypatch):
    journal: list = []
    failures = [AutoReconnect("database down"), AutoReconnect("database down")]

    def after_batch(batch):
        if failures:
            raise failures.pop()
        journal.append(("batch", len(batch)))

    events, stop = _consumer(monkeypatch, [{"tp0": [_message(b"off_1", 0)]}], after_batch,
                             journal)
    events.run_forever(stop)
    assert journal == [("handled", b"off_1"), ("batch", 1), "commit", "close"]


@pytest.mark.parametrize("error", [
    RebalanceInProgressError("the group is rebalancing"),
    CommitFailedError("the member left its group while handling")])
def test_a_commit_that_meets_a_rebalance_leaves_the_loop_polling(monkeypatch, error):
    # That error used to escape the poll loop: the worker died and waited for its restart.
    journal: list = []
    batches = [{"tp0": [_message(b"off_1", 0)]}, {"tp0": [_message(b"off_2", 1)]}]
    events, stop = _consumer(monkeypatch, batches, None, journal, commit_errors=(error,))
    events.run_forever(stop)
    assert journal == [("handled", b"off_1"), "commit refused",
                       ("handled", b"off_2"), "commit", "close"]
    assert events._consecutive_failures == 0, "a rebalance is not an outage"
