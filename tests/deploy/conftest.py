"""Fixtures for the deployment tests: the overlays rendered once per session."""

from __future__ import annotations

import pytest

from tests.deploy import rendering


@pytest.fixture(scope="session")
def kustomize_binary() -> str:
    """The pinned kustomize, built and cached on first use."""
    return rendering.kustomize()


@pytest.fixture(scope="session")
def k8s_tree(tmp_path_factory, kustomize_binary):
    """A copy of deploy/k8s ready to render (dev keys generated)."""
    return rendering.copy_tree(tmp_path_factory.mktemp("k8s"))


@pytest.fixture(scope="session")
def rendered(kustomize_binary, k8s_tree) -> dict[str, list[dict]]:
    """overlay name → its rendered resources."""
    return {name: rendering.render(kustomize_binary, k8s_tree, name)
            for name in rendering.OVERLAYS}
