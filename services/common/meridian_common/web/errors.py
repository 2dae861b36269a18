"""RFC 9457 problem details for every error a service can answer, including Flask's own."""

from __future__ import annotations

import logging

from flask import Flask, Response, json
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..conflicts import Conflict

PROBLEM_MIME = "application/problem+json"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict", 410: "Gone",
    412: "Precondition Failed", 413: "Content Too Large", 415: "Unsupported Media Type",
    422: "Unprocessable Content", 428: "Precondition Required", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """An error the API answers on purpose, carrying everything the problem body needs."""

    def __init__(self, status: int, detail: str, *, code: str | None = None,
                 errors: dict | None = None, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def problem_type(status: int, code: str | None = None) -> str:
    """A stable type URI for a status (and optional machine-readable code)."""
    return f"https://meridian.dev/problems/{code or status}"


def problem_response(status: int, detail: str, *, code: str | None = None,
                     errors: dict | None = None, headers: dict | None = None, **extra) -> Response:
    """Build an application/problem+json response."""
    body = {"type": problem_type(status, code), "title": _TITLES.get(status, "Error"),
            "status": status, "detail": detail}
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = str(value)
    return response


def conflict_response(exc: Conflict) -> Response:
    """The 409 problem+json for a domain conflict: its code, message and extra members."""
    return problem_response(409, exc.message, code=exc.code, **exc.extra)


def _flatten_webargs(messages: dict) -> dict:
    # webargs nests messages by location ({"json": {...}, "query": {...}}); clients want fields.
    flat: dict = {}
    for location, per_field in messages.items():
        if isinstance(per_field, dict):
            flat.update(per_field)
        else:
            flat[location] = per_field
    return flat


def _validation_errors(messages) -> dict:
    if isinstance(messages, dict):
        return messages
    return {"_schema": messages if isinstance(messages, list) else [str(messages)]}


def _http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if status == 422 and messages:
        return problem_response(422, "The request has invalid or unknown fields.",
                                errors=_flatten_webargs(messages))
    if status == 400 and messages:
        return problem_response(400, "The request body is not valid JSON.")
    detail = exc.description if isinstance(exc.description, str) else _TITLES.get(status, "Error")
    headers = {}
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 413:
        detail = "The request body is larger than this service accepts."
    return problem_response(status, detail, headers=headers)


def register_error_handlers(app: Flask) -> None:
    """Make every error leave the service as problem+json and never as a stack trace."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return problem_response(exc.status, exc.detail, code=exc.code, errors=exc.errors,
                                headers=exc.headers, **exc.extra)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict):
        return conflict_response(exc)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        return problem_response(422, "The request has invalid or unknown fields.",
                                errors=_validation_errors(exc.messages))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return _http_exception(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return problem_response(500, "An unexpected error occurred; it has been logged.")
