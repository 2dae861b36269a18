"""The image: linted by hadolint, multi-stage, pinned, non-root, one shared gunicorn config."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.rendering import ROOT

DOCKER = ROOT / "deploy" / "docker"
DOCKERFILE = DOCKER / "Dockerfile"
HADOLINT = str(Path(sys.executable).parent / "hadolint")


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([HADOLINT, "--no-color", str(path)], capture_output=True, text=True,
                          timeout=60)


def _instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return [(line.split()[0].upper(), line.split(None, 1)[1]) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_hadolint_finds_nothing():
    done = _lint(DOCKERFILE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_rejects_a_careless_dockerfile(tmp_path):
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN apt-get install curl\nRUN cd /app\n")
    done = _lint(careless)
    assert done.returncode != 0
    for rule in ("DL3007", "DL3008", "DL3003"):
        assert rule in done.stdout, rule


def test_multi_stage_pinned_non_root_with_health_check():
    steps = _instructions()
    (base,) = [v for k, v in steps if k == "ARG" and v.startswith("PYTHON_IMAGE=")]
    assert re.fullmatch(r"PYTHON_IMAGE=python:\d+\.\d+\.\d+-slim-\w+", base), base
    stages = [v for k, v in steps if k == "FROM"]
    assert len(stages) >= 2 and all(s.startswith("${PYTHON_IMAGE}") for s in stages)
    users = [v for k, v in steps if k == "USER"]
    assert users and re.fullmatch(r"[1-9]\d{3,}(:[1-9]\d{3,})?", users[-1]), users
    assert any(k == "HEALTHCHECK" for k, _ in steps)
    assert ("ENTRYPOINT", '["meridian-entrypoint"]') in steps


def _ignored(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, f"{p}/*") or
               path.startswith(p.rstrip("/") + "/") for p in patterns)


def test_every_copied_path_exists_and_reaches_the_build_context():
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for kind, value in _instructions():
        if kind != "COPY" or "--from=" in value:
            continue
        sources = [a for a in value.split()[:-1] if not a.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not _ignored(source.rstrip("/"), patterns), f"{source} is in .dockerignore"
    for needed_out in (".git", ".venv", ".run", "tests"):
        assert needed_out in patterns


def test_every_runtime_uses_the_one_gunicorn_config():
    in_image = "/etc/meridian/gunicorn.conf.py"
    assert ("COPY", f"deploy/docker/gunicorn.conf.py {in_image}") in _instructions()
    manifests = [ROOT / "docker-compose.yml", *(ROOT / "deploy/k8s/base").glob("*.yaml")]
    using = [m for m in manifests if "gunicorn.conf" in m.read_text()]
    assert len(using) == 7  # compose, the gateway, the portal and the four service APIs
    for manifest in using:
        assert "gunicorn.conf" not in manifest.read_text().replace(in_image, ""), manifest
    local = (ROOT / "deploy/local/supervisord.conf.in").read_text()
    assert "deploy/docker/gunicorn.conf.py" in local


@pytest.mark.parametrize("stale", [True, False])
def test_entrypoint_prepares_a_clean_metrics_directory(tmp_path, stale):
    metrics = tmp_path / "prometheus"
    if stale:
        metrics.mkdir()
        (metrics / "counter_123.db").write_bytes(b"old samples")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    done = subprocess.run(["sh", str(DOCKER / "entrypoint.sh"), "sh", "-c",
                           'ls -A "$PROMETHEUS_MULTIPROC_DIR"; exit 7'],
                          capture_output=True, text=True, env=env, timeout=10)
    assert done.returncode == 7, done.stderr
    assert metrics.is_dir() and done.stdout == ""
    assert os.access(DOCKER / "entrypoint.sh", os.X_OK)


def test_the_image_and_the_venv_install_every_package_of_the_repository():
    found = [*ROOT.glob("*/pyproject.toml"), *ROOT.glob("*/*/pyproject.toml")]
    packages = {p.parent.relative_to(ROOT).as_posix() for p in found}
    assert {"services/common", "tools/meridian_ops", "gateway"} <= packages
    (install,) = [v for k, v in _instructions() if k == "RUN" and "pip install" in v]
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    (venv,) = [line for line in makefile.splitlines() if line.startswith("PACKAGES :=")]
    for package in packages:
        assert f"./{package}" in install.split(), package
        assert f"-e {package}" in venv, package
