"""What the rendered manifests promise operators: probes, limits, hardening, scaling, wiring."""

from __future__ import annotations

import re

import pytest

from tests.deploy import rendering

SERVICES = ("catalog", "enrollment", "classroom", "notifications")
PROCESSES = ["gateway", "portal"] + [f"{s}-{p}" for s in SERVICES for p in ("api", "worker")]
# Secrets the prod overlay references but leaves to the cluster's operators (docs/ops/secrets.md).
EXTERNAL_SECRETS = {"prod": {"meridian-mongo", "meridian-redis", "meridian-portal",
                             "meridian-notifications"},
                    "dev": set()}
# Only what must stay inside the cluster is left out of the Ingress.
INTERNAL_PATHS = ("/metrics", "/healthz", "/readyz")
OVERLAYS = rendering.OVERLAYS


def _pod(resource: dict) -> dict:
    return resource["spec"]["template"]["spec"]


def _config(resources: list[dict]) -> dict[str, str]:
    (config,) = [c for name, c in rendering.by_kind(resources, "ConfigMap").items()
                 if name.startswith("meridian-config")]
    return config["data"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_has_a_deployment_with_probes_and_resources(rendered, overlay):
    deployments = rendering.meridian(rendered[overlay], "Deployment")
    assert sorted(deployments) == sorted(PROCESSES)
    for name, deployment in deployments.items():
        (container,) = _pod(deployment)["containers"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert probe in container, f"{name} lacks {probe}"
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), name
        assert "memory" in resources["limits"], name
        if name.endswith("-worker"):
            assert container["livenessProbe"]["httpGet"]["port"] == "metrics", name
        else:
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_hardened(rendered, overlay):
    workloads = {**rendering.meridian(rendered[overlay], "Deployment"),
                 **rendering.meridian(rendered[overlay], "Job")}
    for name, workload in workloads.items():
        pod = _pod(workload)
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] == 10001, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert any(m["mountPath"] == "/tmp" for m in container.get("volumeMounts", [])) \
                or name == "meridian-demo", f"{name}: no writable /tmp"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_pinned(rendered, overlay):
    for resource in rendered[overlay]:
        if resource["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        for container in _pod(resource)["containers"]:
            image = container["image"]
            assert re.match(r"^[\w./-]+:[\w.-]+$", image), image
            assert not image.endswith(":latest"), image
    prod_images = {c["image"] for d in rendering.by_kind(rendered["prod"], "Deployment").values()
                   for c in _pod(d)["containers"]}
    assert prod_images == {"registry.example.edu/meridian/meridian:0.1.0"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_an_autoscaler_and_a_disruption_budget(rendered, overlay):
    resources = rendered[overlay]
    deployments = rendering.meridian(resources, "Deployment")
    hpas = rendering.by_kind(resources, "HorizontalPodAutoscaler")
    pdbs = rendering.by_kind(resources, "PodDisruptionBudget")
    for name, deployment in deployments.items():
        assert hpas[name]["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpas[name]["spec"]["minReplicas"] <= hpas[name]["spec"]["maxReplicas"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        selector = pdbs[name]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items(), f"PDB {name} selects no pod of {name}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_worker_autoscaling_stops_at_the_partition_count(rendered, overlay):
    partitions = int(_config(rendered[overlay])["MERIDIAN_TOPIC_PARTITIONS"])
    hpas = rendering.by_kind(rendered[overlay], "HorizontalPodAutoscaler")
    for name in PROCESSES:
        if name.endswith("-worker"):
            assert hpas[name]["spec"]["maxReplicas"] <= partitions, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_and_ingress_reach_the_right_pods(rendered, overlay):
    resources = rendered[overlay]
    deployments = rendering.meridian(resources, "Deployment")
    services = rendering.meridian(resources, "Service")
    nudged = [f"{s}-worker" for s in ("catalog", "enrollment", "classroom")]
    assert sorted(services) == sorted(["catalog-api", "classroom-api", "enrollment-api",
                                       "gateway", "notifications-api", "portal", *nudged])
    config = _config(resources)
    for name in nudged:
        # The API and the worker of a service agree on where nudges go, over UDP.
        (port,) = services[name]["spec"]["ports"]
        assert port["protocol"] == "UDP"
        for process in (name, name.replace("-worker", "-api")):
            env = {e["name"]: e["value"] for e in _pod(deployments[process])["containers"][0]
                   .get("env", []) if "value" in e}
            assert env["MERIDIAN_RELAY_NUDGE_ADDRESS"] == f"{name}:{port['port']}", process
    for name, service in services.items():
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items(), name
        ports = {p["name"] for p in _pod(deployments[name])["containers"][0]["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports, name
        if name != "gateway" and name not in nudged:
            url = config[f"MERIDIAN_{name.split('-')[0].upper()}_URL"]
            assert url == f"http://{name}:{service['spec']['ports'][0]['port']}"
    (ingress,) = rendering.by_kind(resources, "Ingress").values()
    for rule in ingress["spec"]["rules"]:
        assert "/api" in {path["path"] for path in rule["http"]["paths"]}
        for path in rule["http"]["paths"]:
            assert not path["path"].startswith(INTERNAL_PATHS) and path["path"] != "", path
            assert path["pathType"] == ("Exact" if path["path"] == "/" else "Prefix")
            backend = path["backend"]["service"]
            assert backend["name"] == "gateway"
            assert backend["port"]["name"] in {p["name"] for p in
                                               services["gateway"]["spec"]["ports"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_referenced_configmaps_and_secrets_exist(rendered, overlay):
    resources = rendered[overlay]
    configmaps = set(rendering.by_kind(resources, "ConfigMap"))
    secrets = set(rendering.by_kind(resources, "Secret")) | EXTERNAL_SECRETS[overlay]
    for workload in [r for r in resources if r["kind"] in ("Deployment", "Job")]:
        pod = _pod(workload)
        for container in pod["containers"]:
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in configmaps
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] in secrets, f"{variable['name']}: {ref['name']}"
        for volume in pod.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets


def test_prod_uses_the_identity_provider_and_dev_uses_dev_tokens(rendered):
    prod, dev = _config(rendered["prod"]), _config(rendered["dev"])
    assert prod["MERIDIAN_DEV_AUTH"] == "0" and prod["MERIDIAN_PROFILE"] == "production"
    assert prod["MERIDIAN_JWT_JWKS_URL"].startswith("https://")
    assert int(prod["MERIDIAN_TOPIC_REPLICATION_FACTOR"]) >= 3
    assert dev["MERIDIAN_DEV_AUTH"] == "1" and dev["MERIDIAN_JWT_JWKS_URL"] == ""
    gateway = _pod(rendering.by_kind(rendered["dev"], "Deployment")["gateway"])["containers"][0]
    assert {"name": "MERIDIAN_DEV_AUTH_PRIVATE_KEY_FILE",
            "value": "/keys/private/dev-jwt-private.pem"} in gateway["env"]
    for name, deployment in rendering.by_kind(rendered["prod"], "Deployment").items():
        assert "signing-key" not in str(deployment), name


def test_the_setup_job_creates_topics_and_indexes(rendered):
    for overlay in OVERLAYS:
        job = rendering.by_kind(rendered[overlay], "Job")["meridian-setup"]
        command = " ".join(_pod(job)["containers"][0]["args"])
        assert "meridian topics ensure" in command and "meridian indexes ensure" in command
