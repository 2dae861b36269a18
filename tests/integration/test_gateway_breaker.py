"""Retries of idempotent calls and the per-upstream circuit breaker, against real sockets."""

import contextlib
import socket
import threading

import pytest

from meridian_gateway.app import create_app
from tests.gateway_harness import LiveServer, dev_token, echo_app, gateway_config
from tests.support import wait_for

ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
          b"Connection: close\r\n\r\n{\"ok\": true}")


class FlakyServer:
    """Hangs up on the first `failures` connections without answering, then answers 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self):
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                connection, _ = self._listener.accept()
                with connection:
                    self.connections += 1
                    if self.connections > self.failures:
                        connection.recv(65536)
                        connection.sendall(ANSWER)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join(10)
        self._listener.close()


@pytest.fixture(scope="module")
def others():
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(LiveServer(echo_app(name))).url
               for name in ("enrollment", "classroom", "notifications")}


def _client(catalog_url, others, tmp_path, **overrides):
    app = create_app(gateway_config({"catalog": catalog_url, **others}, tmp_path, **overrides))
    client = app.test_client()
    return client, {"Authorization": f"Bearer {dev_token(client)}"}


def test_a_read_is_retried_after_a_hang_up_but_a_write_is_not(others, tmp_path):
    with FlakyServer(failures=1) as flaky:
        client, auth = _client(flaky.url, others, tmp_path)
        assert client.get("/api/v1/courses").get_json() == {"ok": True}
        assert flaky.connections == 2
    with FlakyServer(failures=1) as flaky:
        client, auth = _client(flaky.url, others, tmp_path)
        response = client.post("/api/v1/courses", json={}, headers=auth)
        assert response.status_code == 503
        assert response.get_json()["code"] == "upstream_unavailable"
        assert flaky.connections == 1, "a POST that may have arrived is never sent twice"


def test_retries_give_up_after_three_attempts(others, tmp_path):
    with FlakyServer(failures=100) as flaky:
        client, _auth = _client(flaky.url, others, tmp_path)
        assert client.get("/api/v1/courses").status_code == 503
        assert flaky.connections == 3


def test_the_circuit_opens_answers_at_once_and_closes_when_the_service_is_back(others, tmp_path):
    # Two requests of three attempts each fail (6 hang-ups), then the service answers again.
    with FlakyServer(failures=6) as flaky:
        client, auth = _client(flaky.url, others, tmp_path, breaker_failures=2,
                               breaker_open_seconds=0.5)
        for _ in range(2):
            assert client.get("/api/v1/courses").get_json()["code"] == "upstream_unavailable"
        refused = client.get("/api/v1/courses")
        assert refused.status_code == 503
        assert refused.mimetype == "application/problem+json"
        assert refused.get_json()["code"] == "upstream_circuit_open"
        assert refused.headers["Retry-After"] == "1"
        assert flaky.connections == 6, "an open circuit sends nothing upstream"
        assert client.get("/api/v1/me/enrollments", headers=auth).status_code == 200
        wait_for(lambda: client.get("/api/v1/courses").status_code == 200, timeout=10,
                 message="the half-open trial to close the circuit")
        assert client.get("/api/v1/courses").status_code == 200
