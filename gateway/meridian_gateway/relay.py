"""Turn an upstream response into the client's response: small bodies buffered, large streamed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import requests
import urllib3
from flask import Response

from .headers import client_response_headers
from .upstream_http import UpstreamResponse

log = logging.getLogger(__name__)

# Below this size a body is read before answering, so a failure can still become a clean error.
BUFFER_LIMIT = 256 * 1024
CHUNK_SIZE = 64 * 1024
UPSTREAM_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


class RelayedResponse(Response):
    """A response that carries only the headers the upstream sent (no default Content-Type)."""

    default_mimetype = None


def _buffered(method: str, upstream: UpstreamResponse) -> bool:
    if method == "HEAD" or upstream.status_code in (204, 304):
        return True
    length = upstream.headers.get("Content-Length", "")
    return length.isdigit() and int(length) <= BUFFER_LIMIT


def _stream(upstream: UpstreamResponse, done: Callable[[], None]) -> Iterator[bytes]:
    complete = False
    try:
        # decode_content=False: bytes go through exactly as sent, matching Content-Encoding.
        yield from upstream.raw.stream(CHUNK_SIZE, decode_content=False)
        complete = True
    except UPSTREAM_ERRORS:
        # The status line is already out; aborting the connection is the only honest signal.
        log.warning("upstream response broke off while streaming", exc_info=True)
        raise
    finally:
        if complete:
            upstream.raw.release_conn()
        else:
            upstream.close()
        done()


def relay(method: str, upstream: UpstreamResponse, *, upstream_base: str,
          done: Callable[[], None]) -> Response:
    """Build the client's response; `done` runs once the upstream body has been consumed."""
    headers = client_response_headers(upstream.raw.headers.items(), upstream_base)
    length = upstream.headers.get("Content-Length")
    if not _buffered(method, upstream):
        return RelayedResponse(_stream(upstream, done), status=upstream.status_code,
                               headers=headers, direct_passthrough=True)
    try:
        body = upstream.raw.read(decode_content=False)
        upstream.raw.release_conn()
    except BaseException:
        upstream.close()
        raise
    finally:
        done()
    response = RelayedResponse(body, status=upstream.status_code, headers=headers)
    if length is not None:
        # Setting the body recomputed it; a HEAD answer must keep the GET body's length.
        response.headers["Content-Length"] = length
    return response
