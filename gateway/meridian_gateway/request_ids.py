"""X-Request-ID: echo a well-formed one from the client, mint one otherwise, answer with it."""

from __future__ import annotations

from flask import Flask, g, request

from meridian_common.web.context import (
    REQUEST_ID_HEADER,
    accept_request_id,
    reset_request_id,
    set_request_id,
)


def install_request_ids(app: Flask) -> None:
    """Bind a request id to every request (logs see it too) and put it on every response."""

    @app.before_request
    def _bind_request_id():
        g.request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
        g._rid_token = set_request_id(g.request_id)

    @app.after_request
    def _echo_request_id(response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or ""
        return response

    @app.teardown_request
    def _unbind_request_id(_exc):
        token = g.pop("_rid_token", None)
        if token is not None:
            reset_request_id(token)
