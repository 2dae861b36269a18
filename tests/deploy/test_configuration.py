"""Every MERIDIAN_* variable that compose or Kubernetes sets is one the code reads (no typos)."""

from __future__ import annotations

import re

import yaml

from meridian_ops.services import SERVICES
from tests.deploy import rendering
from tests.deploy.rendering import ROOT

_LITERAL = re.compile(r"\bMERIDIAN_[A-Z0-9_]*[A-Z0-9]\b")
_SETTING = re.compile(r"_env(?:_bool|_list)?\(\s*\"([A-Z0-9_]+)\"")
_GATEWAY_OPTION = re.compile(r"(?:_raw|raw_option)\(settings,\s*\"([a-z0-9_]+)\"\)")
# f"MERIDIAN_RATE_LIMIT_{name.upper()}": a family of names completed by the file's literals.
_FAMILY = re.compile(r"f\"(MERIDIAN_[A-Z0-9_]+_)\{name\.upper\(\)\}\"")
_WORD = re.compile(r"\"([a-z][a-z0-9_]*)\"")


def read_by_code() -> set[str]:
    """Names the services, gateway and runtime scripts read (literal or through helpers)."""
    sources = [*ROOT.glob("services/*/meridian_*/**/*.py"), *ROOT.glob("gateway/**/*.py"),
               *ROOT.glob("tools/*/meridian_*/**/*.py"),
               *ROOT.glob("portal/meridian_portal/**/*.py"),
               *ROOT.glob("deploy/docker/*"), *ROOT.glob("deploy/local/*.sh")]
    names: set[str] = set()
    # Running the stack leaves bytecode caches beside gunicorn.conf.py unless Python is told not to.
    for path in (p for p in sources if p.is_file() and p.suffix != ".pyc"):
        text = path.read_text()
        names |= set(_LITERAL.findall(text))
        names |= {f"MERIDIAN_{n}" for n in _SETTING.findall(text)}
        names |= {f"MERIDIAN_GATEWAY_{n.upper()}" for n in _GATEWAY_OPTION.findall(text)}
        for prefix in _FAMILY.findall(text):
            names |= {f"{prefix}{word.upper()}" for word in _WORD.findall(text)}
    # config.py builds these from the service names.
    names |= {f"MERIDIAN_{s.upper()}_{kind}" for s in SERVICES for kind in ("URL", "DB")}
    return names


def test_the_scan_sees_settings_read_through_helpers():
    known = read_by_code()
    assert {"MERIDIAN_KAFKA_BOOTSTRAP", "MERIDIAN_DEV_AUTH", "MERIDIAN_CATALOG_URL",
            "MERIDIAN_WORKERS", "MERIDIAN_WORKER_METRICS_PORT", "MERIDIAN_RATE_LIMIT_STORAGE",
            "MERIDIAN_GATEWAY_TRUSTED_PROXIES"} <= known
    assert "MERIDIAN_KAFKA_BOOTSTRAPS" not in known


def test_compose_sets_only_variables_the_code_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    known = read_by_code()
    for name, service in compose["services"].items():
        unknown = {v for v in (service.get("environment") or {}) if v.startswith("MERIDIAN_")}
        unknown -= known
        assert not unknown, f"{name}: {sorted(unknown)}"


def test_kubernetes_sets_only_variables_the_code_reads(rendered):
    known = read_by_code()
    for overlay, resources in rendered.items():
        for config in rendering.by_kind(resources, "ConfigMap").values():
            unknown = {k for k in config.get("data", {}) if k.startswith("MERIDIAN_")} - known
            assert not unknown, f"{overlay}/{config['metadata']['name']}: {sorted(unknown)}"
        for workload in rendering.by_kind(resources, "Deployment").values():
            for container in workload["spec"]["template"]["spec"]["containers"]:
                names = {e["name"] for e in container.get("env", [])}
                assert not {n for n in names if n.startswith("MERIDIAN_")} - known
