"""The error answers every operation can get, documented once per operation (pure, no I/O).

Services document their own refusals (422, 409, ...). Some answers come from the gateway or
from shared plumbing whatever the service says: a bad token (401), a rate limit (429), a body
that is not JSON (400) or too large (413), an unknown id (404), a service that is down (503),
slow (504) or broken (502). Every one of them is problem+json.
"""

from __future__ import annotations

from meridian_common.web.errors import PROBLEM_MIME

from .openapi_merge import HTTP_METHODS

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_RETRY_AFTER = {"description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 1}}


def _problem(description: str, *, retry_after: bool = False, challenge: bool = False) -> dict:
    response = {"description": description, "content": {PROBLEM_MIME: {"schema": _PROBLEM}}}
    headers = {}
    if retry_after:
        headers["Retry-After"] = _RETRY_AFTER
    if challenge:
        headers["WWW-Authenticate"] = {"description": "Bearer challenge (RFC 6750).",
                                       "schema": {"type": "string"}}
    if headers:
        response["headers"] = headers
    return response


RESPONSES: dict[str, dict] = {
    "Problem": _problem("Any other error, as problem details (RFC 9457)."),
    "MalformedBody": _problem("The body is not valid JSON."),
    "Unauthenticated": _problem("The token is missing, expired or not valid (also on public "
                                "routes: a token sent must be valid).", challenge=True),
    "NotFound": _problem("No such resource (or not visible to the caller)."),
    "ContentTooLarge": _problem("The body is larger than the gateway accepts."),
    "RateLimited": _problem("Too many requests from this caller or address.", retry_after=True),
    "UpstreamBroken": _problem("The service sent an answer the gateway could not read."),
    "Unavailable": _problem("The service (or one it depends on) is unavailable, busy, or "
                            "given a rest after repeated failures.", retry_after=True),
    "UpstreamTimeout": _problem("The service did not answer in time; it may have acted on "
                                "the request (retry writes with an Idempotency-Key).",
                                retry_after=True),
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def _has_path_parameter(path: str, item: dict, operation: dict) -> bool:
    declared = [*item.get("parameters", []), *operation.get("parameters", [])]
    return "{" in path or any(p.get("in") == "path" for p in declared if isinstance(p, dict))


def _expected(path: str, item: dict, operation: dict, proxied: bool) -> dict[str, str]:
    wanted = {"401": "Unauthenticated", "429": "RateLimited", "default": "Problem"}
    if "requestBody" in operation:
        wanted.update({"400": "MalformedBody", "413": "ContentTooLarge"})
    if _has_path_parameter(path, item, operation):
        wanted["404"] = "NotFound"
    if proxied:
        wanted.update({"502": "UpstreamBroken", "503": "Unavailable", "504": "UpstreamTimeout"})
    return wanted


def document_errors(document: dict, *, own_paths: frozenset[str]) -> dict:
    """Add the shared error responses to every operation that does not document them yet."""
    document.setdefault("components", {}).setdefault("responses", {}).update(RESPONSES)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for status, name in _expected(path, item, operation, path not in own_paths).items():
                responses.setdefault(status, _ref(name))
    return document
