"""Services that are down, slow or saturated: clean 503/504 answers, other routes unaffected."""

import contextlib
import socket
import threading
import time

import pytest

from meridian_gateway.app import create_app
from tests.gateway_harness import (
    LiveServer,
    dev_token,
    echo_app,
    gateway_config,
    refused_url,
)

WAIT = 10.0


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("keys")


@pytest.fixture
def live():
    """Running enrollment, classroom and notifications stand-ins (catalog is left to each
    test)."""
    apps = {name: echo_app(name) for name in ("enrollment", "classroom", "notifications")}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(LiveServer(app)).url for name, app in apps.items()}
        yield apps, urls
        for app in apps.values():
            app.config["RELEASE"].set()


def _gateway(urls, key_dir, **overrides):
    """The gateway app and a bearer header; threads each make their own test client."""
    app = create_app(gateway_config(urls, key_dir, **overrides))
    return app, {"Authorization": f"Bearer {dev_token(app.test_client())}"}


def _in_thread(app, path, headers, results, name):
    def call():
        results[name] = app.test_client().get(path, headers=headers)

    thread = threading.Thread(target=call)
    thread.start()
    return thread


def _assert_problem(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["code"] == code
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_down_service_is_503_and_the_others_keep_working(live, key_dir):
    _apps, urls = live
    with refused_url() as down:
        app, auth = _gateway({"catalog": down, **urls}, key_dir)
        client = app.test_client()
        _assert_problem(client.get("/api/v1/courses"), 503, "upstream_unavailable")
        _assert_problem(client.post("/api/v1/courses", json={}, headers=auth), 503,
                        "upstream_unavailable")
        assert client.get("/api/v1/me/enrollments", headers=auth).status_code == 200
        assert client.get("/api/v1/me/timetable", headers=auth).status_code == 200


def test_an_upstream_that_hangs_up_is_503(live, key_dir):
    _apps, urls = live
    with _hang_up_server() as url:
        app, _auth = _gateway({"catalog": url, **urls}, key_dir)
        _assert_problem(app.test_client().get("/api/v1/courses"), 503, "upstream_unavailable")


def test_a_slow_service_times_out_with_504(live, key_dir):
    apps, urls = live
    with refused_url() as down:
        app, auth = _gateway({"catalog": down, **urls}, key_dir, upstream_timeout_seconds=0.3)
        started = time.monotonic()
        response = app.test_client().get("/api/v1/sessions/slow", headers=auth)
        elapsed = time.monotonic() - started
    _assert_problem(response, 504, "upstream_timeout")
    assert apps["classroom"].config["ENTERED"].is_set()
    assert elapsed < 5


def test_one_stuck_service_cannot_take_the_others_down(live, key_dir):
    apps, urls = live
    with refused_url() as down:
        app, auth = _gateway({"catalog": down, **urls}, key_dir, upstream_max_inflight=1,
                             connect_timeout_seconds=0.2)
        results: dict = {}
        stuck = _in_thread(app, "/api/v1/sessions/slow", auth, results, "stuck")
        assert apps["classroom"].config["ENTERED"].wait(WAIT)
        client = app.test_client()
        started = time.monotonic()
        _assert_problem(client.get("/api/v1/sessions/s2", headers=auth), 503,
                        "upstream_saturated")
        assert 0.2 <= time.monotonic() - started < 5
        assert client.get("/api/v1/me/enrollments", headers=auth).status_code == 200
        apps["classroom"].config["RELEASE"].set()
        stuck.join(WAIT)
        assert results["stuck"].status_code == 200
        assert client.get("/api/v1/sessions/s2", headers=auth).status_code == 200


def test_a_short_burst_waits_for_a_slot_instead_of_failing(live, key_dir):
    apps, urls = live
    with refused_url() as down:
        app, auth = _gateway({"catalog": down, **urls}, key_dir, upstream_max_inflight=1,
                             connect_timeout_seconds=WAIT)
        results: dict = {}
        slow = _in_thread(app, "/api/v1/sessions/slow", auth, results, "slow")
        assert apps["classroom"].config["ENTERED"].wait(WAIT)
        queued = _in_thread(app, "/api/v1/sessions/s3", auth, results, "queued")
        apps["classroom"].config["RELEASE"].set()
        slow.join(WAIT)
        queued.join(WAIT)
    assert {name: r.status_code for name, r in results.items()} == {"slow": 200, "queued": 200}


def test_streamed_answers_give_their_slot_back(live, key_dir):
    _apps, urls = live
    with refused_url() as down:
        app, _auth = _gateway({"catalog": down, **urls}, key_dir, upstream_max_inflight=1,
                              connect_timeout_seconds=0.2)
        client = app.test_client()
        for _ in range(3):
            response = client.get("/api/v1/calendar/t.ics")
            assert response.status_code == 200
            assert response.is_streamed
            response.get_data()


@contextlib.contextmanager
def _hang_up_server():
    """A server that accepts connections and closes them without answering."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                connection, _ = listener.accept()
                connection.recv(65536)
                connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(WAIT)
        listener.close()
