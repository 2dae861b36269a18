"""Every rendered manifest validates against the Kubernetes schemas, and a broken one does not."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from tests.deploy import rendering


@pytest.mark.parametrize("version", rendering.KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", rendering.OVERLAYS)
def test_every_resource_matches_the_strict_schema(rendered, overlay, version):
    problems = []
    for resource in rendered[overlay]:
        try:
            kubernetes_validate.validate(resource, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{resource['kind']}/{resource['metadata']['name']}: {exc.message} "
                            f"at {'/'.join(map(str, exc.path))}")
    assert not problems, "\n".join(problems)


def test_overlays_render_the_expected_kinds(rendered):
    for overlay in rendering.OVERLAYS:
        kinds = {r["kind"] for r in rendered[overlay]}
        assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "ConfigMap", "Ingress", "Job", "ServiceAccount", "Namespace"} <= kinds, overlay


def _first_deployment(rendered) -> dict:
    return copy.deepcopy(rendering.by_kind(rendered["prod"], "Deployment")["catalog-api"])


@pytest.mark.parametrize("breakage", ["misspelled field", "wrong type", "missing required"])
def test_the_validator_rejects_a_broken_deployment(rendered, breakage):
    broken = _first_deployment(rendered)
    container = broken["spec"]["template"]["spec"]["containers"][0]
    if breakage == "misspelled field":
        container["readinesProbe"] = container.pop("readinessProbe")
    elif breakage == "wrong type":
        broken["spec"]["replicas"] = "three"
    else:
        del container["name"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, rendering.KUBERNETES_VERSIONS[0], strict=True)


def test_a_broken_kustomization_fails_to_render(kustomize_binary, tmp_path):
    tree = rendering.copy_tree(tmp_path)
    kustomization = tree / "base" / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("- catalog.yaml",
                                                               "- catalgo.yaml"))
    with pytest.raises(AssertionError, match="kustomize build prod failed"):
        rendering.render(kustomize_binary, tree, "prod")
