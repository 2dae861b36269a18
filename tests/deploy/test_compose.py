"""docker-compose.yml: valid against the Compose specification and the same system as `make up`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.deploy.rendering import ROOT

COMPOSE = ROOT / "docker-compose.yml"
SUPERVISOR = ROOT / "deploy" / "local" / "supervisord.conf.in"
CHECK = [str(Path(sys.executable).parent / "check-jsonschema"),
         "--builtin-schema", "vendor.compose-spec"]


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _meridian_programs() -> dict[str, str]:
    """supervisord program → command, for Meridian's own processes (not Kafka, FerretDB, Redis)."""
    programs = re.findall(r"\[program:([\w-]+)\]\ncommand=(.*)", SUPERVISOR.read_text())
    return {name: command for name, command in programs
            if name not in ("kafka", "ferretdb", "redis")}


def test_compose_file_matches_the_compose_specification():
    done = subprocess.run([*CHECK, str(COMPOSE)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("breakage", [
    ("condition: service_healthy", "condition: service_healthyy"),
    ("\nvolumes:\n  kafka-data:", "\nvolumez:\n  kafka-data:"),
    ("    healthcheck:\n      test:", "    healthcheck:\n      tset:"),
])
def test_the_validator_rejects_a_broken_compose_file(tmp_path, breakage):
    old, new = breakage
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace(old, new, 1))
    done = subprocess.run([*CHECK, str(broken)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0


def test_every_local_process_runs_in_compose_with_the_same_entry_point():
    services = _compose()["services"]
    for program, command in _meridian_programs().items():
        assert program in services, f"{program} runs under `make up` but not in compose"
        target = re.search(r"(meridian_\w+\.(?:wsgi:app|worker))", command).group(1)
        assert target in " ".join(services[program]["command"]), program
    assert {"kafka", "mongo"} <= set(services)


def test_long_running_services_are_health_checked_and_wait_for_healthy_dependencies():
    services = _compose()["services"]
    for name, service in services.items():
        if service.get("restart") == "no":
            continue
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        for dependency, condition in (service.get("depends_on") or {}).items():
            expected = ("service_completed_successfully"
                        if services[dependency].get("restart") == "no" else "service_healthy")
            assert condition["condition"] == expected, f"{name} -> {dependency}"
    for program in _meridian_programs():
        if program != "gateway":
            assert set(services[program]["depends_on"]) == {"mongo", "kafka", "setup"}


def test_workers_expose_metrics_for_their_health_check():
    services = _compose()["services"]
    for name in (n for n in services if n.endswith("-worker")):
        env = services[name]["environment"]
        assert env["MERIDIAN_WORKER_METRICS_ADDR"] == "0.0.0.0"
        port = env["MERIDIAN_WORKER_METRICS_PORT"]
        assert f"http://127.0.0.1:{port}/metrics" in services[name]["healthcheck"]["test"]


def test_images_are_pinned_and_state_lives_in_named_volumes():
    compose = _compose()
    for name, service in compose["services"].items():
        image = service["image"]
        if "build" not in service:
            assert re.match(r"^[\w./-]+:v?\d+\.\d+\.\d+$", image), f"{name}: {image} not pinned"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name}: {source} does not exist"
            else:
                assert source in compose["volumes"], f"{name}: {volume}"
    assert {"kafka-data", "mongo-data"} <= set(compose["volumes"])


def test_setup_runs_before_the_apis_and_demo_seeding_is_optional():
    services = _compose()["services"]
    setup = " ".join(services["setup"]["command"])
    for step in ("meridian dev-keys", "meridian topics ensure", "meridian indexes ensure"):
        assert step in setup
    demo = services["demo"]
    assert "meridian demo seed" in " ".join(demo["command"])
    assert demo["environment"]["MERIDIAN_SEED_DEMO"] == "${MERIDIAN_SEED_DEMO:-1}"
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["observability"]
