"""Dashboard and alerts: valid PromQL over metrics the code really exports, runbooks for alerts."""

from __future__ import annotations

import json
import re

import promql_parser
import pytest
import yaml

from tests.deploy.rendering import ROOT

OBSERVABILITY = ROOT / "deploy" / "observability"
DASHBOARD = OBSERVABILITY / "grafana" / "dashboards" / "meridian.json"
ALERTS = OBSERVABILITY / "alerts.yml"
RUNBOOK = ROOT / "docs" / "ops" / "alerts.md"
# Exported by prometheus-client's process collector (workers) and by Prometheus itself.
STANDARD = {"up", "process_start_time_seconds"}
_DEFINITION = re.compile(r"\b(Counter|Gauge|Histogram)\(\s*\"(meridian_\w+)\"")


def exported_metrics() -> set[str]:
    """Sample names the services, workers and gateway can export, read from their source."""
    names = set()
    for path in [*ROOT.glob("services/*/meridian_*/**/*.py"), *ROOT.glob("gateway/**/*.py")]:
        for kind, name in _DEFINITION.findall(path.read_text()):
            names.add(name)
            if kind == "Histogram":
                names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return names


def metric_names(expr: str) -> set[str]:
    """Metric names an expression selects (raises on invalid PromQL)."""
    found: set[str] = set()

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            found.add(node.name)

    promql_parser.walk(promql_parser.parse(expr.replace("$__rate_interval", "5m")), visit)
    return found


def _dashboard_queries() -> list[tuple[str, str]]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [(p["title"], t["expr"]) for p in panels for t in p.get("targets", [])]


def _alerts() -> list[dict]:
    return [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]


def test_the_source_scan_finds_the_metrics_we_know():
    assert {"meridian_http_requests_total", "meridian_http_request_seconds_bucket",
            "meridian_outbox_backlog", "meridian_consumer_lag",
            "meridian_consumer_dead_lettered_total"} <= exported_metrics()


@pytest.mark.parametrize("source", ["dashboard", "alerts"])
def test_every_query_parses_and_uses_exported_metrics(source):
    queries = _dashboard_queries() if source == "dashboard" else [
        (a["alert"], a["expr"]) for a in _alerts()]
    known = exported_metrics() | STANDARD
    assert len(queries) >= 9
    for title, expr in queries:
        names = metric_names(expr)
        assert names, f"{title}: selects no metric"
        assert names <= known, f"{title}: unknown {sorted(names - known)}"


def test_invalid_promql_and_unknown_metrics_are_caught():
    with pytest.raises(ValueError):
        metric_names("sum by (service (rate(meridian_http_requests_total[5m]))")
    assert metric_names("rate(meridian_http_request_total[5m])") - exported_metrics()


def test_dashboard_layout_is_sound():
    dashboard = json.loads(DASHBOARD.read_text())
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    cells = set()
    for panel in panels:
        box = panel["gridPos"]
        assert box["x"] + box["w"] <= 24, panel["title"]
        area = {(box["x"] + dx, box["y"] + dy) for dx in range(box["w"]) for dy in range(box["h"])}
        assert not cells & area, f"{panel['title']} overlaps another panel"
        cells |= area
    titles = {p["title"] for p in panels}
    for needed in ("Requests per second", "Latency p50 / p95", "Outbox backlog",
                   "Consumer lag", "Messages parked in DLQs"):
        assert needed in titles


def test_every_alert_has_a_runbook_section():
    headings = {line[3:].strip().lower() for line in RUNBOOK.read_text().splitlines()
                if line.startswith("## ")}
    for alert in _alerts():
        url = alert["annotations"]["runbook_url"]
        assert url == f"docs/ops/alerts.md#{alert['alert'].lower()}"
        assert alert["alert"].lower() in headings, alert["alert"]
        assert alert["labels"]["severity"] in {"warning", "critical"}


def test_prometheus_scrapes_the_compose_services_under_the_alerts_job_names():
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    jobs = {j["job_name"]: j["static_configs"][0]["targets"] for j in config["scrape_configs"]}
    assert set(jobs) == {"meridian-apis", "meridian-workers"}
    for target in jobs["meridian-apis"] + jobs["meridian-workers"]:
        host, port = target.split(":")
        assert host in compose, target
        if host.endswith("-worker"):
            assert compose[host]["environment"]["MERIDIAN_WORKER_METRICS_PORT"] == port
    used = " ".join(a["expr"] for a in _alerts())
    assert 'job="meridian-workers"' in used and 'job=~"meridian-.*"' in used
