"""What the benchmarks share to talk to a running stack: dev tokens and patient GETs."""

from __future__ import annotations

import time


def token(http, gateway: str, sub: str, roles: list[str], tz: str = "UTC",
          institution_id: str | None = None) -> dict:
    """A bearer header from the stack's dev-token endpoint."""
    claims = {"sub": sub, "roles": roles, "timezone": tz}
    if institution_id:
        claims["institution_id"] = institution_id
    answer = http.post(f"{gateway}/api/v1/auth/dev-token", timeout=30, json=claims)
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def get_json(http, url: str, headers: dict | None = None) -> dict:
    """GET with a few patient retries on 429/503 (a shared stack may be busy)."""
    for _attempt in range(10):
        answer = http.get(url, headers=headers, timeout=30)
        if answer.status_code not in (429, 503, 504):
            answer.raise_for_status()
            return answer.json()
        time.sleep(float(answer.headers.get("Retry-After", "2")))
    answer.raise_for_status()
    return answer.json()
