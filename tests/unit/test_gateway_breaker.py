"""The circuit breaker's states and which failed calls may be retried (pure: a fake clock)."""

import pytest
import requests
import urllib3

from meridian_gateway.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen
from meridian_gateway.calls import never_sent, retryable, unreachable


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker("classroom", threshold=3, open_seconds=10, clock=clock)


def _fail(breaker, times):
    for _ in range(times):
        breaker.before_call()
        breaker.record_failure()


def test_it_opens_after_the_threshold_of_failures_in_a_row(breaker):
    _fail(breaker, 2)
    breaker.before_call()
    breaker.record_success()
    _fail(breaker, 2)
    assert breaker.state == CLOSED, "a success in between resets the count"
    _fail(breaker, 1)
    assert breaker.state == OPEN


def test_while_open_calls_are_refused_with_the_time_left(breaker, clock):
    _fail(breaker, 3)
    clock.now += 3.2
    with pytest.raises(CircuitOpen) as refused:
        breaker.before_call()
    assert refused.value.retry_after == 7
    assert refused.value.service == "classroom"


def test_half_open_lets_one_trial_through_and_its_success_closes(breaker, clock):
    _fail(breaker, 3)
    clock.now += 10
    assert breaker.state == HALF_OPEN
    breaker.before_call()
    with pytest.raises(CircuitOpen) as second:
        breaker.before_call()
    assert second.value.retry_after == 1
    breaker.record_success()
    assert breaker.state == CLOSED
    breaker.before_call()


def test_a_failed_trial_opens_again_for_a_full_period(breaker, clock):
    _fail(breaker, 3)
    clock.now += 11
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == OPEN
    clock.now += 9
    with pytest.raises(CircuitOpen):
        breaker.before_call()


def test_an_abandoned_trial_lets_the_next_call_try(breaker, clock):
    _fail(breaker, 3)
    clock.now += 10
    breaker.before_call()
    breaker.abandon()
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == CLOSED


def _refused() -> requests.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason))


def _dropped() -> requests.ConnectionError:
    return requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted."))


@pytest.mark.parametrize(("method", "exc", "expected"), [
    ("GET", _refused(), True),
    ("HEAD", _dropped(), True),
    ("OPTIONS", _dropped(), True),
    ("PUT", _refused(), True),
    ("DELETE", _refused(), True),
    ("PUT", _dropped(), False),
    ("DELETE", _dropped(), False),
    ("POST", _refused(), False),
    ("PATCH", _refused(), False),
    ("GET", requests.ReadTimeout(), False),
    ("GET", requests.ConnectTimeout(), False),
    ("GET", requests.exceptions.ChunkedEncodingError(), False),
])
def test_only_idempotent_methods_are_retried_and_never_after_a_timeout(method, exc, expected):
    assert retryable(method, exc) is expected


def test_never_sent_recognises_a_refused_connection():
    assert never_sent(_refused())
    assert not never_sent(_dropped())
    assert not never_sent(requests.ConnectionError())


def test_only_unreachable_services_count_against_the_circuit():
    assert unreachable(_refused())
    assert unreachable(_dropped())
    assert unreachable(requests.ConnectTimeout())
    assert not unreachable(requests.ReadTimeout())
    assert not unreachable(requests.exceptions.ChunkedEncodingError())
