"""Every process answers /healthz, /readyz and /metrics; request ids are echoed end to end."""

import pytest


@pytest.mark.parametrize("service", ["catalog", "enrollment", "classroom", "notifications"])
def test_services_expose_health_readiness_and_metrics(http, service_urls, service):
    base = service_urls[service]
    assert http.get(f"{base}/healthz").json()["service"] == service
    ready = http.get(f"{base}/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}
    http.get(f"{base}/healthz")
    metrics = http.get(f"{base}/metrics")
    assert metrics.status_code == 200
    assert "meridian_http_requests_total" in metrics.text
    assert f'service="{service}"' in metrics.text


def test_gateway_health_and_request_id_round_trip(http, gateway_url):
    assert http.get(f"{gateway_url}/healthz").status_code == 200
    assert http.get(f"{gateway_url}/readyz").status_code == 200
    echoed = http.get(f"{gateway_url}/api/v1/courses", headers={"X-Request-ID": "trace-me-42"})
    assert echoed.headers["X-Request-ID"] == "trace-me-42"
    minted = http.get(f"{gateway_url}/api/v1/courses")
    assert len(minted.headers["X-Request-ID"]) >= 16
    hostile = http.get(f"{gateway_url}/api/v1/courses",
                       headers={"X-Request-ID": "bad id with spaces\tand tabs"})
    assert hostile.headers["X-Request-ID"] != "bad id with spaces\tand tabs"


def test_openapi_document_covers_the_catalog(http, gateway_url):
    spec = http.get(f"{gateway_url}/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/institutions", "/api/v1/courses", "/api/v1/courses/{course_id}",
                 "/api/v1/courses/{course_id}/publish", "/api/v1/offerings/{offering_id}"):
        assert path in spec["paths"], path
    docs = http.get(f"{gateway_url}/api/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["Content-Type"]
