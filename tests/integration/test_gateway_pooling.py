"""Connections to a real gunicorn upstream are kept alive and reused across requests."""

import socket
import subprocess
import sys

import pytest
import requests

from meridian_gateway.app import create_app
from tests.gateway_harness import gateway_config, refused_url
from tests.support import wait_for


@pytest.fixture(scope="module")
def gunicorn_catalog():
    """The echo stand-in served by gunicorn (gthread) on a socket this test already holds."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}",
         "--workers", "1", "--worker-class", "gthread", "--threads", "4",
         "--no-control-socket", "tests.gateway_harness:echo_app('catalog')"],
        pass_fds=[listener.fileno()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: requests.get(f"{url}/readyz", timeout=1).status_code == 200,
                 timeout=30, message="gunicorn upstream")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        listener.close()


def test_one_connection_serves_consecutive_requests(gunicorn_catalog, tmp_path):
    with refused_url() as other:
        urls = {"catalog": gunicorn_catalog, "enrollment": other, "classroom": other,
                "notifications": other}
        client = create_app(gateway_config(urls, tmp_path)).test_client()
        ports = {client.get("/api/v1/courses/x/offerings").get_json()["client_port"]
                 for _ in range(10)}
    assert len(ports) == 1
