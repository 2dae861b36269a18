"""Request bodies the gateway refuses before any service sees them."""

from __future__ import annotations

import logging
import re

from flask import Flask, current_app, request

from meridian_common.web.errors import ApiError
from meridian_common.web.json_depth import MAX_JSON_DEPTH, too_deep

log = logging.getLogger(__name__)

# RFC 9110 gives a body on these no meaning; a proxy or cache in between may drop or misread it.
BODYLESS_METHODS = frozenset({"GET", "HEAD", "DELETE"})
SPECS_KEY = "meridian.gateway.specs"
_PLACEHOLDER = re.compile(r"\{[^}/]+\}")


def _declares(method: str, path: str) -> bool:
    """Whether a service's OpenAPI document declares `method` on `path` (True when unknown)."""
    cache = current_app.extensions.get(SPECS_KEY)
    specs = cache.snapshot()[0] if cache is not None else {}
    documents = [spec for spec in specs.values() if spec]
    if not documents:
        return True
    for spec in documents:
        for template, item in spec.get("paths", {}).items():
            pattern = "^" + _PLACEHOLDER.sub("[^/]+", re.escape(template).replace(
                r"\{", "{").replace(r"\}", "}")) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return True
    return False


def _has_body() -> bool:
    return bool(request.content_length) or \
        request.headers.get("Transfer-Encoding", "").lower() == "chunked"


def refuse_bad_bodies() -> None:
    """before_request: 400 for a body on GET/HEAD/DELETE and for JSON nested too deeply."""
    if not _has_body():
        return
    # A method the path does not have at all is the service's 405, whatever it carries.
    if request.method in BODYLESS_METHODS and _declares(request.method, request.path):
        raise ApiError(400, f"A {request.method} request must not carry a body.",
                       code="unexpected_body")
    # The services refuse this too; measuring here keeps the gateway's own JSON endpoints
    # (dev tokens) safe and spares the services the traffic.
    if request.is_json and too_deep(request.get_data(cache=True)):
        log.warning("refused a JSON body nested deeper than %d levels", MAX_JSON_DEPTH)
        raise ApiError(400, f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.",
                       code="json_too_deep")


def install_body_guard(app: Flask) -> None:
    """Refuse bad bodies before every view."""
    app.before_request(refuse_bad_bodies)
