"""The constraints Meridian's own marshmallow fields enforce, written into the OpenAPI document.

A field class states them in `openapi_constraints()` (JSON Schema keywords: `minLength`,
`maxLength`, `pattern`, `format`), so generated clients and contract tests see what the code
refuses. Where a rule is no regular language (a real IANA zone, a valid language tag) the field
names a `format` of ours and keeps a `pattern` that every valid value matches.
"""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin

# Formats of ours, explained once in the document's info section.
FORMATS = {
    "iana-time-zone": "a canonical IANA time-zone name such as Europe/London",
    "iso3166-alpha2": "an ISO 3166-1 alpha-2 country code such as GB (any case)",
    "bcp47": "a valid BCP 47 language tag such as en, en-GB or zh-Hans",
    "visible-text": "text with at least one visible character and no bidi controls",
    "local-date-time": "a wall-clock date-time to the minute, no offset: 2026-03-02T14:00",
    "date-or-date-time": "a date (2026-03-02) or an RFC 3339 date-time with offset",
    "clock-time": "a time of day HH:MM from 00:00 to 24:00",
}


def field_constraints(_converter, field, ret: dict, **_kwargs) -> dict:
    """apispec attribute function: the constraints a field class declares."""
    declared = getattr(field, "openapi_constraints", None)
    del ret  # apispec passes what other functions produced; ours does not depend on it
    return dict(declared()) if callable(declared) else {}


def install(plugin: MarshmallowPlugin) -> None:
    """Teach a spec's marshmallow plugin our fields' and schemas' constraints (after the spec
    exists)."""
    converter = plugin.converter
    converter.add_attribute_function(field_constraints)
    plain = converter.schema2jsonschema

    def with_schema_constraints(schema):
        # apispec has no hook for schema-level keywords; a schema class may declare some.
        document = plain(schema)
        document.update(getattr(schema, "openapi_schema_constraints", {}))
        return document

    converter.schema2jsonschema = with_schema_constraints
