"""Unknown query parameters are refused with 422, exactly like unknown body fields."""

from __future__ import annotations

from functools import cache

from flask import current_app, request
from marshmallow import Schema

from .errors import ApiError


def _schema_keys(schema) -> set[str]:
    instance = schema() if isinstance(schema, type) else schema
    if not isinstance(instance, Schema):
        return set()
    return {field.data_key or name for name, field in instance.fields.items()
            if not field.dump_only}


def _view_for(endpoint: str, method: str):
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        # Flask answers HEAD with the GET handler when a view has no `head`.
        handler = getattr(view_class, method.lower(), None)
        return handler or (getattr(view_class, "get", None) if method == "HEAD" else None)
    return view


@cache
def _documented_query_keys(app_name: str, endpoint: str, method: str) -> frozenset[str] | None:
    # `app_name` keeps apps of different services (tests build several) apart in the cache.
    view = _view_for(endpoint, method)
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    schemas = [p["schema"] for p in parameters if p.get("in") == "query" and "schema" in p]
    if not schemas:
        return None
    return frozenset().union(*(_schema_keys(schema) for schema in schemas))


def documented_query_keys(endpoint: str | None, method: str) -> frozenset[str] | None:
    """The query parameters an endpoint declares through a query schema (None: declares none)."""
    if endpoint is None:
        return None
    return _documented_query_keys(current_app.name, endpoint, method)


def refuse_unknown_query_args() -> None:
    """before_request hook: 422 for query parameters an endpoint's query schema does not name.

    Endpoints without a query schema (webhooks reading a signature by hand) are left alone.
    """
    known = documented_query_keys(request.endpoint, request.method)
    if known is None:
        return
    unknown = sorted(set(request.args.keys()) - known)
    if unknown:
        raise ApiError(422, "The request has invalid or unknown fields.",
                       errors={key: ["Unknown field."] for key in unknown})
