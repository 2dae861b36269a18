"""Rate limits: shared by every gunicorn worker through the test stack's Redis; per verified
user, per address without a valid token, per enrollment; probes never limited; storage outages
never stop the gateway."""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
from prometheus_client.mmap_dict import MmapedDict

from meridian_gateway.app import create_app
from tests.gateway_harness import LiveServer, echo_app, gateway_config, refused_url
from tests.support import env, make_token, unique, wait_for

ROOT = Path(__file__).resolve().parents[2]
LIMITS = {"MERIDIAN_RATE_LIMIT_DEFAULT": "10/hour", "MERIDIAN_RATE_LIMIT_IP": "25/hour",
          "MERIDIAN_RATE_LIMIT_ENROLLMENT": "3/hour", "MERIDIAN_RATE_LIMIT_BULK": "2/hour"}


@pytest.fixture(scope="module")
def upstreams():
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(LiveServer(echo_app(name))).url
               for name in ("catalog", "enrollment", "classroom", "notifications")}


@pytest.fixture(scope="module")
def gunicorn_gateway(upstreams, tmp_path_factory):
    """The gateway under gunicorn (2 workers), low limits, counters in the stack's Redis."""
    metrics_dir = tmp_path_factory.mktemp("metrics")
    prefix = unique("rl-")
    listener = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    child_env = {**os.environ, **LIMITS, "MERIDIAN_WORKERS": "2", "MERIDIAN_THREADS": "4",
                 "MERIDIAN_RATE_LIMIT_KEY_PREFIX": prefix,
                 "MERIDIAN_GATEWAY_TRUSTED_PROXIES": "1",
                 "MERIDIAN_GATEWAY_READY_UPSTREAMS": "none",
                 "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                 # gunicorn imports its config file: no __pycache__ next to it in the repository.
                 "PYTHONDONTWRITEBYTECODE": "1",
                 **{f"MERIDIAN_{name.upper()}_URL": base for name, base in upstreams.items()}}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/docker/gunicorn.conf.py"),
         "--bind", f"fd://{listener.fileno()}", "meridian_gateway.wsgi:app"],
        pass_fds=[listener.fileno()], env=child_env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: requests.get(f"{url}/healthz", timeout=1).status_code == 200,
                 timeout=60, message="the gunicorn gateway")
        # The second worker boots a little later; the tests need both serving.
        wait_for(lambda: _burst(url, 12, address="10.9.9.9", path="/healthz")
                 and len(_served(metrics_dir, "/healthz")) == 2,
                 timeout=60, message="both gunicorn workers to serve")
        yield url, metrics_dir, prefix
    finally:
        process.terminate()
        process.wait(timeout=30)
        listener.close()


def _send(url: str, address: str, *, token=None, method="GET", path="/api/v1/me/enrollments"):
    headers = {"X-Forwarded-For": address, "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, url + path, headers=headers, timeout=10)


def _burst(url: str, count: int, **kwargs) -> list[requests.Response]:
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(lambda _: _send(url, **kwargs), range(count)))


def _assert_429(response):
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 3600


def _served(metrics_dir: Path, route: str) -> dict[str, float]:
    """Requests each gunicorn worker answered on `route`, from its own metrics file."""
    served: dict[str, float] = {}
    for path in metrics_dir.glob("counter_*.db"):
        pid = re.match(r"counter_(\d+)\.db$", path.name).group(1)
        for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
            name, labels = json.loads(key)[1], json.loads(key)[2]
            if name == "meridian_http_requests_total" and labels.get("route") == route:
                served[pid] = served.get(pid, 0) + value
    return served


def test_the_per_caller_limit_is_shared_by_all_workers(gunicorn_gateway):
    url, metrics_dir, prefix = gunicorn_gateway
    user, route = unique("u-"), "/api/v1/me/enrollments"
    before = _served(metrics_dir, route)
    answers = _burst(url, 30, address="10.0.0.1", token=make_token(user, ["student"]))
    after = _served(metrics_dir, route)
    per_worker = [after[pid] - before.get(pid, 0) for pid in after]
    assert len(per_worker) == 2 and all(per_worker), f"both workers must serve: {per_worker}"
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] * 10 + [429] * 20, "in-memory counters would allow up to 20"
    _assert_429(next(r for r in answers if r.status_code == 429))
    stored = redis.Redis.from_url(env("RATE_LIMIT_STORAGE")).keys(f"*{prefix}*{user}*")
    assert stored, "the counters live in the stack's Redis"
    assert _send(url, "10.0.0.6", token=make_token(unique("u-"), ["student"])).ok


def test_requests_without_a_token_share_their_address_limit_and_users_do_not(gunicorn_gateway):
    url, _, _ = gunicorn_gateway
    anonymous = [_send(url, "10.0.0.2", path="/api/v1/courses") for _ in range(27)]
    assert [r.status_code for r in anonymous] == [200] * 25 + [429] * 2
    _assert_429(anonymous[-1])
    # A campus NAT: many signed-in students behind the address that is already limited.
    users = [_send(url, "10.0.0.2", token=make_token(unique("u-"), ["student"]))
             for _ in range(12)]
    assert all(r.status_code == 200 for r in users)


def test_enrollment_posts_have_their_own_stricter_limit(gunicorn_gateway):
    url, _, _ = gunicorn_gateway
    student = make_token(unique("stu-"), ["student"])
    enroll = {"method": "POST", "path": "/api/v1/offerings/o1/enrollments"}
    answers = [_send(url, "10.0.0.4", token=student, **enroll) for _ in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    _assert_429(answers[-1])
    assert _send(url, "10.0.0.4", token=student).ok, "other calls of the student still pass"
    assert _send(url, "10.0.0.4", token=make_token(unique("stu-"), ["student"]), **enroll).ok


def test_bulk_enrollment_posts_have_a_limit_of_their_own(gunicorn_gateway):
    url, _, _ = gunicorn_gateway
    registrar = make_token(unique("ia-"), ["institution_admin"], "ins_a")
    bulk = {"method": "POST", "path": "/api/v1/offerings/o1/enrollments/bulk"}
    answers = [_send(url, "10.0.0.6", token=registrar, **bulk) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]
    _assert_429(answers[-1])
    enroll = {"method": "POST", "path": "/api/v1/offerings/o1/enrollments"}
    assert _send(url, "10.0.0.6", token=registrar, **enroll).ok, "a separate counter"


def test_bad_tokens_are_counted_by_address_before_they_are_refused(gunicorn_gateway):
    url, _, _ = gunicorn_gateway
    answers = [_send(url, "10.0.0.5", path="/api/v1/courses") for _ in range(20)]
    answers += [_send(url, "10.0.0.5", token="not-a-token") for _ in range(7)]
    assert [r.status_code for r in answers] == [200] * 20 + [401] * 5 + [429] * 2


def _limited_app(upstreams, tmp_path, **overrides):
    config = gateway_config(upstreams, tmp_path, rate_limit_default="3/hour",
                            rate_limit_ip="3/hour", **overrides)
    return create_app(config).test_client()


def test_probes_are_never_limited(upstreams, tmp_path):
    client = _limited_app(upstreams, tmp_path)
    for path in ("/healthz", "/readyz", "/metrics") * 3:
        assert client.get(path).status_code == 200, path


def test_a_flood_of_bad_tokens_meets_the_limit_before_verification(upstreams, tmp_path):
    client = _limited_app(upstreams, tmp_path)
    statuses = [client.get("/api/v1/courses", headers={"Authorization": "Bearer junk"})
                .status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_an_unreachable_storage_falls_back_to_memory_and_keeps_serving(upstreams, tmp_path,
                                                                       caplog):
    with refused_url() as down:
        client = _limited_app(upstreams, tmp_path,
                              rate_limit_storage=down.replace("http://", "redis://") + "/0")
        statuses = [client.get("/api/v1/courses").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429], "served, and still limited, from memory"
    assert "falling back to in-memory storage" in caplog.text


def test_a_malformed_limit_stops_the_gateway_at_start(upstreams, tmp_path):
    with pytest.raises(ValueError, match="MERIDIAN_RATE_LIMIT_ENROLLMENT"):
        _limited_app(upstreams, tmp_path, rate_limit_enrollment="ten per minute")
