"""What the benchmarks share to talk to a running stack: dev tokens and patient calls."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

# Answers that mean "not now" (rate limited, dependency down, upstream timeout): wait, retry.
BUSY = (429, 503, 504)


def _patient(call, attempts: int = 20, allow: tuple[int, ...] = ()):
    for _attempt in range(attempts):
        try:
            answer = call()
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(2)  # an overloaded server; retried POSTs are keyed or accept a repeat's 409
            continue
        if answer.status_code not in BUSY:
            break
        time.sleep(min(10.0, float(answer.headers.get("Retry-After", "2"))))
    else:
        answer = call()
    if answer.status_code not in allow:
        answer.raise_for_status()
    return answer


def token(http, gateway: str, sub: str, roles: list[str], tz: str = "UTC",
          institution_id: str | None = None) -> dict:
    """A bearer header from the stack's dev-token endpoint."""
    claims = {"sub": sub, "roles": roles, "timezone": tz}
    if institution_id:
        claims["institution_id"] = institution_id
    answer = _patient(lambda: http.post(f"{gateway}/api/v1/auth/dev-token", timeout=30,
                                        json=claims))
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def tokens(http, gateway: str, subs: list[str], roles: list[str], tz: str = "UTC",
           institution_id: str | None = None) -> list[dict]:
    """Bearer headers for many users (one each, in the order of `subs`)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda sub: token(http, gateway, sub, roles, tz, institution_id),
                             subs))


def get_json(http, url: str, headers: dict | None = None) -> dict:
    """GET with a few patient retries on 429/503/504 (a shared stack may be busy)."""
    return _patient(lambda: http.get(url, headers=headers, timeout=30)).json()


def post_json(http, url: str, headers: dict | None = None, body: dict | None = None) -> dict:
    """POST that waits out 429/503/504; one Idempotency-Key makes its retries create nothing
    twice (a 504 may come after the service acted)."""
    keyed = {**(headers or {}), "Idempotency-Key": uuid.uuid4().hex}
    return _patient(lambda: http.post(url, headers=keyed, json=body or {}, timeout=60)).json()


def publish(http, gateway: str, admin: dict, course_id: str) -> None:
    """Publish a draft course; a 409 after a retried 504 is fine if the first call did it."""
    url = f"{gateway}/api/v1/courses/{course_id}"
    answer = _patient(lambda: http.post(f"{url}/publish", headers=admin, timeout=60),
                      allow=(409,))
    if answer.status_code == 409 and get_json(http, url, admin)["status"] != "published":
        answer.raise_for_status()
