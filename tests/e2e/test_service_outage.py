"""A service of the running stack stops: the gateway answers 503 for it at once (its circuit
opens), keeps serving the other services, and routes to it again when it is back."""

from __future__ import annotations

from tests.support import make_token, supervisorctl, unique, wait_for

SERVICE_DOWN = ("upstream_unavailable", "upstream_circuit_open")


def _get(http, url, token):
    return http.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_a_stopped_service_is_503_the_others_answer_and_it_recovers(http, gateway_url):
    token = make_token(unique("outage-"), ["student"])
    timetable, courses = f"{gateway_url}/api/v1/me/timetable", f"{gateway_url}/api/v1/courses"
    enrollment = f"{gateway_url}/api/v1/enrollments/enr_none"
    assert _get(http, timetable, token).status_code == 200
    seen: set[str] = set()
    assert "stopped" in supervisorctl("stop", "classroom-api")
    try:
        def refused_by_an_open_circuit() -> bool:
            response = _get(http, timetable, token)
            assert response.status_code == 503, response.text
            assert response.headers["Content-Type"] == "application/problem+json"
            assert int(response.headers["Retry-After"]) >= 1
            seen.add(response.json()["code"])
            return "upstream_circuit_open" in seen

        wait_for(refused_by_an_open_circuit, timeout=30, interval=0,
                 message="the classroom's circuit to open")
        assert seen <= set(SERVICE_DOWN)
        assert _get(http, courses, token).status_code == 200
        assert _get(http, enrollment, token).status_code == 404
        ready = http.get(f"{gateway_url}/readyz", timeout=30)
        assert ready.status_code == 503
        assert ready.json()["checks"]["classroom"].startswith("unavailable")
    finally:
        supervisorctl("start", "classroom-api")
    wait_for(lambda: _get(http, timetable, token).status_code == 200, timeout=90,
             message="the gateway to route to the classroom again")
