"""The gateway serves the portal at / (one origin), and keeps the API and probes its own."""

from __future__ import annotations


def test_pages_come_from_the_portal_with_its_cookie_and_policy(http, gateway_url):
    page = http.get(f"{gateway_url}/courses", timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    cookie = page.headers["Set-Cookie"]
    assert "meridian_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The cookie travels back through the gateway: the same session, no new one.
    again = http.get(f"{gateway_url}/courses", timeout=30)
    assert "Set-Cookie" not in again.headers or \
        again.headers["Set-Cookie"].split(";")[0] == cookie.split(";")[0]
    assets = http.get(f"{gateway_url}/assets/portal.js", timeout=30)
    assert assets.status_code == 200 and "javascript" in assets.headers["Content-Type"]


def test_forms_posted_through_the_gateway_reach_the_portals_csrf_check(http, gateway_url):
    refused = http.post(f"{gateway_url}/dev/sign-in", data={"sub": "x", "roles": "student"},
                        timeout=30)
    assert refused.status_code == 400 and "text/html" in refused.headers["Content-Type"]


def test_api_and_probes_are_not_the_portals(http, gateway_url):
    unknown = http.get(f"{gateway_url}/api/v1/no-such-thing", timeout=30)
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"] == "application/problem+json"
    assert http.get(f"{gateway_url}/api/nothing", timeout=30).status_code == 404
    ready = http.get(f"{gateway_url}/readyz", timeout=30).json()
    assert ready["checks"]["gateway"] == "ok"
    assert "text/plain" in http.get(f"{gateway_url}/metrics", timeout=30).headers["Content-Type"]
