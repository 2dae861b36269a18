"""Every `/api/v1` path a running service documents is routed to that service by the gateway."""

import pytest

from meridian_gateway.routes import owner_of_template


@pytest.mark.parametrize("service", ["catalog", "enrollment", "classroom", "notifications"])
def test_documented_paths_reach_their_service(http, service_urls, service):
    document = http.get(f"{service_urls[service]}/openapi.json", timeout=10).json()
    api_paths = [path for path in document["paths"] if path.startswith("/api/v1/")]
    misrouted = {path: owner_of_template(path) for path in api_paths
                 if owner_of_template(path) != service}
    assert not misrouted, f"add these to meridian_gateway/routes.py: {misrouted}"
