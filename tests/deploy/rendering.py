"""Render the Kubernetes overlays with the pinned kustomize, offline, for the deploy tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from meridian_ops.keys import write_key_pair

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
# Oldest and newest Kubernetes minor versions the manifests are validated against.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")


def kustomize() -> str:
    """Path of the cached kustomize binary (built on first use by deploy/k8s/fetch-kustomize.sh)."""
    done = subprocess.run([str(K8S / "fetch-kustomize.sh")], capture_output=True, text=True,
                          timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"could not build kustomize:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def copy_tree(target: Path) -> Path:
    """A writable copy of deploy/k8s with the dev overlay's git-ignored key pair in place."""
    tree = target / "k8s"
    shutil.copytree(K8S, tree, ignore=shutil.ignore_patterns("keys"))
    write_key_pair(tree / "overlays" / "dev" / "keys")
    return tree


def render(binary: str, tree: Path, overlay: str) -> list[dict]:
    """`kustomize build` of one overlay, as a list of resources."""
    done = subprocess.run([binary, "build", str(tree / "overlays" / overlay)],
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise AssertionError(f"kustomize build {overlay} failed:\n{done.stderr}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def by_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    """name → resource, for one kind."""
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def meridian(resources: list[dict], kind: str) -> dict[str, dict]:
    """name → resource of one kind, only Meridian's own (not the dev overlay's Kafka/MongoDB)."""
    return {name: r for name, r in by_kind(resources, kind).items()
            if r["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") == "meridian"}
