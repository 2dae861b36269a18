"""HTTP conventions shared by every service: ETags, pagination, request hygiene."""

from __future__ import annotations

import hashlib
import logging

from flask import Response, jsonify, request
from marshmallow import Schema, fields, validate

from .errors import ApiError
from .json_depth import MAX_JSON_DEPTH, too_deep

MAX_PER_PAGE = 100
log = logging.getLogger(__name__)


class PageArgs(Schema):
    """`?page=&per_page=` with the documented bounds."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_envelope(items: list, page: int, per_page: int, total: int) -> dict:
    """The documented list shape."""
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def page_response(items: list, args: dict, total: int) -> Response:
    """Answer one page of already-serialised `items` for the `PageArgs` in `args`."""
    return jsonify(page_envelope(items, args["page"], args["per_page"], total))


def etag_for(*parts) -> str:
    """A strong ETag derived from an aggregate's identity and version."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _etag_list(header: str | None) -> list[str]:
    if not header:
        return []
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def check_if_match(current_etag: str) -> None:
    """Refuse a write whose If-Match names another version (412)."""
    tags = _etag_list(request.headers.get("If-Match"))
    if tags and "*" not in tags and current_etag not in tags:
        raise ApiError(412, "The resource changed since you read it; fetch it again.",
                       code="stale_etag")


def with_etag(payload: dict, etag: str, status: int = 200) -> Response:
    """Answer `payload` with its ETag, or 304 when the client already has it."""
    if status == 200 and etag in _etag_list(request.headers.get("If-None-Match")):
        response = Response(status=304)
    else:
        response = jsonify(payload)
        response.status_code = status
    response.headers["ETag"] = etag
    return response


def _has_dollar_key(value) -> bool:
    if isinstance(value, dict):
        return any(str(k).startswith("$") or _has_dollar_key(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_dollar_key(v) for v in value)
    return False


def _is_broken_text(text: str) -> bool:
    # JSON escapes can carry lone UTF-16 surrogates ("\ud800"), which no database driver
    # can encode, and NUL characters, which PostgreSQL (FerretDB's backend) cannot store or
    # even compare: refused here rather than failing deep inside a query or a write.
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _has_broken_text(value) -> bool:
    if isinstance(value, str):
        return _is_broken_text(value)
    if isinstance(value, dict):
        return any(_has_broken_text(k) or _has_broken_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_broken_text(v) for v in value)
    return False


def reject_unsafe_input() -> None:
    """before_request hook: operator-looking keys, repeated/array query keys and text that
    is not valid Unicode never pass."""
    bad = [key for key in request.args.keys()
           if "$" in key or "[" in key or len(request.args.getlist(key)) > 1]
    if bad:
        raise ApiError(422, "Query parameters must be single scalar values.",
                       errors={key: ["Must be given once, as a plain value."] for key in bad})
    if _is_broken_text(request.path) or any(
            _is_broken_text(k) or _is_broken_text(v) for k, v in request.args.items(multi=True)):
        raise ApiError(422, "The address contains text that is not valid.",
                       errors={"_path": ["NUL characters and lone surrogates are not allowed."]})
    _refuse_empty_patch()
    # Every JSON media type (application/*+json too) and chunked bodies without a length:
    # webargs parses all of them, so all of them are checked.
    if request.is_json:
        _refuse_deep_json(request.get_data(cache=True))
        body = request.get_json(silent=True)
        if _has_dollar_key(body):
            raise ApiError(422, "Keys starting with '$' are not allowed.",
                           errors={"_schema": ["Keys starting with '$' are not allowed."]})
        if _has_broken_text(body):
            raise ApiError(422, "The body contains text that is not valid Unicode.",
                           errors={"_schema": ["NUL characters and lone surrogate escapes are "
                                               "not allowed."]})


def _refuse_deep_json(data: bytes) -> None:
    # Measured before any parsing: the recursive JSON parser and the walkers above would
    # raise RecursionError (a 500 with a huge traceback) on a deep enough document.
    if too_deep(data):
        log.warning("refused a JSON body nested deeper than %d levels", MAX_JSON_DEPTH)
        raise ApiError(400, f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.",
                       code="json_too_deep")


def _refuse_empty_patch() -> None:
    # A PATCH without a body changes nothing yet would answer 200 as if it had.
    # Not on a path without PATCH: there the 405 routing found is the answer.
    if request.method == "PATCH" and request.routing_exception is None \
            and not request.get_data(cache=True):
        raise ApiError(400, "A PATCH needs a JSON body naming the fields to change.",
                       code="empty_patch")
