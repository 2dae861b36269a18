"""A PATCH naming no field changes nothing: every service's patch schema refuses `{}`."""

from __future__ import annotations

import importlib
import inspect

import pytest
from marshmallow import Schema, ValidationError

MODULES = ("meridian_catalog.api.schemas", "meridian_classroom.api.schemas.sessions",
           "meridian_classroom.api.schemas.access", "meridian_enrollment.api.schemas")


def patch_schemas() -> list[type[Schema]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        found += [cls for cls_name, cls in inspect.getmembers(module, inspect.isclass)
                  if cls_name.endswith("Patch") and issubclass(cls, Schema)
                  and cls.__module__ == module.__name__]
    return found


def test_every_patch_schema_is_found():
    assert {cls.__name__ for cls in patch_schemas()} >= {
        "InstitutionPatch", "CoursePatch", "OfferingPatch", "SessionPatch"}


@pytest.mark.parametrize("schema", patch_schemas(), ids=lambda cls: cls.__name__)
def test_an_empty_patch_is_refused(schema):
    with pytest.raises(ValidationError) as refused:
        schema().load({})
    assert "_schema" in refused.value.messages
