"""The documented list envelope."""

from __future__ import annotations

from marshmallow import Schema, fields


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A list envelope schema for `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(), "per_page": fields.Integer(), "total": fields.Integer(),
    }, name=name)
