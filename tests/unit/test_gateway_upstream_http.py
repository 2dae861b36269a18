"""urllib3's failures become the requests exceptions the retries, breaker and answers know."""

import requests
import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from meridian_gateway.calls import never_sent, retryable, unreachable
from meridian_gateway.failures import _classify
from meridian_gateway.upstream_http import as_requests_error

POOL = urllib3.HTTPConnectionPool("127.0.0.1", 9)


def _refused():
    return MaxRetryError(POOL, "/x", NewConnectionError(None, "refused"))


def test_a_refused_connection_is_a_connection_error_that_never_left():
    exc = as_requests_error(_refused())
    assert isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.Timeout)
    assert never_sent(exc) and unreachable(exc) and retryable("PUT", exc)
    assert _classify(exc)[:2] == (503, "upstream_unavailable")


def test_a_connect_timeout_is_requests_connect_timeout():
    exc = as_requests_error(MaxRetryError(POOL, "/x", ConnectTimeoutError(None, "slow")))
    assert isinstance(exc, requests.ConnectTimeout)
    assert _classify(exc)[:2] == (503, "upstream_unavailable")


def test_a_read_timeout_is_a_504_and_not_retried():
    exc = as_requests_error(ReadTimeoutError(POOL, "/x", "read timed out"))
    assert isinstance(exc, requests.ReadTimeout)
    assert not retryable("GET", exc) and not unreachable(exc)
    assert _classify(exc)[:2] == (504, "upstream_timeout")


def test_a_reset_while_reading_may_have_arrived():
    exc = as_requests_error(ProtocolError("Connection aborted.", ConnectionResetError()))
    assert isinstance(exc, requests.ConnectionError)
    assert retryable("GET", exc) and not retryable("PUT", exc) and not retryable("POST", exc)


def test_other_failures_are_left_as_they_are():
    exc = urllib3.exceptions.DecodeError("bad")
    assert as_requests_error(exc) is exc


def test_a_header_the_client_cannot_send_is_an_upstream_error_not_a_crash():
    exc = as_requests_error(ValueError("Invalid header value b'a\\nb'"))
    assert isinstance(exc, requests.RequestException)
    assert not retryable("GET", exc)
    assert _classify(exc)[:2] == (502, "upstream_broken")
