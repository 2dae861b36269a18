"""meridian_common is plumbing: no module of it imports a service, the gateway or the ops tools."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import meridian_common

FORBIDDEN = re.compile(
    r"^meridian_(catalog|enrollment|classroom|notifications|gateway|portal|ops)\b")
PACKAGE = Path(meridian_common.__file__).parent


def imported_names(source: str) -> set[str]:
    """Absolute module names a module's source imports, including importlib/__import__ strings."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and _dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                names.add("".join(v.value for v in first.values
                                  if isinstance(v, ast.Constant)) + "<dynamic>")
    return names


def _dynamic_import(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}) or (
        isinstance(func, ast.Attribute) and func.attr == "import_module")


def offending(source: str) -> set[str]:
    """The forbidden (or not checkable, dynamic meridian_*) imports of one module."""
    names = imported_names(source)
    dynamic = {n for n in names if n.endswith("<dynamic>") and n.startswith("meridian_")
               and not n.startswith("meridian_common")}
    return {n for n in names if FORBIDDEN.match(n)} | dynamic


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_walk_sees_the_whole_package():
    assert len(MODULES) > 20
    assert PACKAGE / "__init__.py" in MODULES


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_common_module_imports_a_service(module):
    assert not offending(module.read_text()), module


@pytest.mark.parametrize("source", [
    "import meridian_catalog.models",
    "from meridian_enrollment.domain import seats",
    "import meridian_gateway as g",
    "from meridian_ops.demo import plan",
    "import importlib\nimportlib.import_module('meridian_classroom.worker')",
    "import importlib\nimportlib.import_module(f'meridian_{name}.worker')",
])
def test_the_check_catches_each_way_of_importing_a_service(source):
    assert offending(source)


def test_the_check_allows_plumbing_and_third_party_imports():
    assert not offending("from meridian_common.events import types\nimport flask\n"
                         "from . import config\nimport importlib\nimportlib.import_module('json')")
