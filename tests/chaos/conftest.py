"""The chaos suite: `make chaos` runs every scenario (MERIDIAN_CHAOS=all); `make test` only
the quick ones. A table of each scenario's figures is printed at the end."""

from __future__ import annotations

import os

import pytest

from . import stack

_TABLE: list = []
COLUMNS = ("scenario", "acked", "lost", "unpublished", "duplicates", "interrupted", "stuck",
           "converged_seconds", "timeline")


def pytest_configure(config):
    config.addinivalue_line("markers", "chaos_full: a scenario only `make chaos` runs")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MERIDIAN_CHAOS") == "all":
        return
    skipped = [item for item in items if item.get_closest_marker("chaos_full")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if item not in skipped]


@pytest.fixture(scope="session")
def chaos_table() -> list:
    """The figures of every scenario run in this session."""
    return _TABLE


@pytest.fixture(scope="session", autouse=True)
def _stack_restored_at_the_end():
    yield
    stack.restore()


def pytest_terminal_summary(terminalreporter):
    if not _TABLE:
        return
    rows = [COLUMNS] + [tuple(str(getattr(f, c)) for c in COLUMNS) for f in _TABLE]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    terminalreporter.section("chaos figures")
    for row in rows:
        terminalreporter.write_line("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    for figures in _TABLE:
        for problem in figures.problems:
            terminalreporter.write_line(f"{figures.scenario}: {problem}")
