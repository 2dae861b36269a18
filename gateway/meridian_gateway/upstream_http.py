"""The proxied calls' HTTP client: urllib3's connection pools, without requests on top.

Measured (decision 0012): requests' Session.send with a prepared request costs about 0.35 ms
more CPU per call than urllib3's `urlopen` underneath it, for nothing the gateway uses
(no cookies, no redirects, no proxies, no auth). Failures are raised as the same requests
exceptions requests itself would raise, so retries, the breaker and the 502/503/504 mapping
keep working on one vocabulary.
"""

from __future__ import annotations

import requests
import urllib3
from requests.utils import requote_uri
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

# No retries inside urllib3 (calls.py decides), and read errors raised as themselves: what
# requests' HTTPAdapter(max_retries=0) sets, so failures look exactly as they did through it.
NO_RETRIES = urllib3.Retry(0, read=False, redirect=False)


class UpstreamResponse:
    """The parts of a requests.Response the relay reads, over an unread urllib3 response."""

    __slots__ = ("raw",)

    def __init__(self, raw: urllib3.BaseHTTPResponse):
        self.raw = raw

    @property
    def status_code(self) -> int:
        """The upstream's status."""
        return self.raw.status

    @property
    def headers(self) -> urllib3.HTTPHeaderDict:
        """The upstream's headers (case-insensitive, repeats kept)."""
        return self.raw.headers

    def close(self) -> None:
        """Drop the connection: its body was not read to the end."""
        self.raw.close()
        self.raw.release_conn()


def as_requests_error(exc: Exception) -> Exception:
    """The exception requests' HTTPAdapter raises for urllib3's `exc` (`exc` when none)."""
    if isinstance(exc, MaxRetryError):
        if isinstance(exc.reason, ConnectTimeoutError) and \
                not isinstance(exc.reason, NewConnectionError):
            return requests.ConnectTimeout(exc)
        return requests.ConnectionError(exc)
    if isinstance(exc, ProtocolError | OSError | ClosedPoolError):
        return requests.ConnectionError(exc)
    if isinstance(exc, ReadTimeoutError):
        return requests.ReadTimeout(exc)
    if isinstance(exc, ValueError):
        # http.client refuses a header it cannot send; requests refused it as InvalidHeader.
        return requests.exceptions.InvalidHeader(exc)
    return exc


def open_pools(urls: dict[str, str], pool_size: int) -> dict[str, urllib3.HTTPConnectionPool]:
    """One keep-alive connection pool per upstream base URL."""
    manager = urllib3.PoolManager(num_pools=len(urls) + 1, maxsize=pool_size, block=False,
                                  retries=NO_RETRIES)
    return {name: manager.connection_from_url(url) for name, url in urls.items()}


def urlopen(pool: urllib3.HTTPConnectionPool, method: str, url: str, *,
            headers: dict[str, str], body: bytes | None,
            timeout: urllib3.Timeout) -> UpstreamResponse:
    """Send one request on `pool`; the body is left unread for the relay to stream."""
    try:
        raw = pool.urlopen(method, requote_uri(url), body=body, headers=headers,
                           retries=NO_RETRIES, redirect=False, assert_same_host=False,
                           preload_content=False, decode_content=False, timeout=timeout)
    except Exception as exc:  # translated, not swallowed: raised again below
        translated = as_requests_error(exc)
        if translated is exc:
            raise
        raise translated from exc
    return UpstreamResponse(raw)
