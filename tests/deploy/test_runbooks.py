"""The runbooks exist, the README points to them, and their links lead somewhere."""

from __future__ import annotations

import re

import pytest

from tests.deploy.rendering import ROOT

OPS = ROOT / "docs" / "ops"
RUNBOOKS = ["deploy", "scale", "secrets", "dlq", "backup", "alerts", "kubernetes",
            "observability", "validation", "notifications"]
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#([^)\s]+))?\)")


def _anchors(path) -> set[str]:
    headings = [line.lstrip("#").strip() for line in path.read_text().splitlines()
                if line.startswith("#")]
    return {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}


def test_every_runbook_exists_and_the_readme_section_points_to_each():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Operating Meridian"):]
    for name in RUNBOOKS:
        assert (OPS / f"{name}.md").is_file(), name
        assert f"docs/ops/{name}.md" in section, name


@pytest.mark.parametrize("document", [*sorted(p.name for p in OPS.glob("*.md")), "README"])
def test_relative_links_resolve(document):
    path = ROOT / "README.md" if document == "README" else OPS / document
    for target, anchor in _LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://")):
            continue
        linked = (path.parent / target).resolve()
        assert linked.exists(), f"{document}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{document}: {target}#{anchor}"
