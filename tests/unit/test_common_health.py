"""Common health endpoints and request metrics, as the services and the gateway use them."""

from __future__ import annotations

import logging
import threading

from flask import Flask, g

from meridian_common.web.health import NotReady, build_health_blueprint, instrument
from meridian_common.web.request_ids import install_request_ids


def _app(checks, required=None, **instrumented) -> Flask:
    app = Flask("probe")
    app.config["SERVICE_NAME"] = "probe"
    app.register_blueprint(build_health_blueprint(checks, required=required))
    install_request_ids(app)
    instrument(app, "probe", **instrumented)

    @app.get("/things/<thing>")
    def thing(thing):
        return {"thing": thing}

    return app


def _down() -> None:
    raise NotReady("status 503")


def _broken() -> None:
    raise ConnectionError("refused")


def test_readyz_names_each_failure_and_needs_every_check_by_default():
    response = _app({"database": lambda: None, "kafka": _broken, "peer": _down}
                    ).test_client().get("/readyz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json() == {"status": "not_ready", "checks": {
        "database": "ok", "kafka": "unavailable: ConnectionError",
        "peer": "unavailable: status 503"}}


def test_readyz_with_required_checks_ignores_the_optional_ones_and_lists_the_required():
    client = _app({"self": lambda: None, "peer": _down}, required=("self",)).test_client()
    body = client.get("/readyz").get_json()
    assert body == {"status": "ready", "checks": {"self": "ok", "peer": "unavailable: status 503"},
                    "required": ["self"]}
    assert client.get("/healthz").get_json() == {"status": "ok", "service": "probe"}


def test_checks_run_at_the_same_time():
    both = threading.Barrier(2, timeout=5)

    def meets_the_other() -> None:
        both.wait()  # raises BrokenBarrierError unless the other check runs meanwhile

    body = _app({"a": meets_the_other, "b": meets_the_other}).test_client().get("/readyz")
    assert body.get_json()["checks"] == {"a": "ok", "b": "ok"}


def _access_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "meridian.access"]


def test_requests_are_counted_by_the_given_label_with_or_without_access_lines(caplog):
    caplog.set_level(logging.INFO, logger="meridian.access")
    quiet = _app({}, route_label=lambda: g.get("label", "custom-route"), log_access=False)
    assert quiet.test_client().get("/things/a", headers={"X-Request-ID": "rid-1"}
                                   ).headers["X-Request-ID"] == "rid-1"
    assert not _access_lines(caplog)
    metrics = quiet.test_client().get("/metrics").get_data(as_text=True)
    assert 'route="custom-route"' in metrics
    _app({}).test_client().get("/things/b")
    (line,) = _access_lines(caplog)
    assert line.route == "/things/<thing>" and line.status == 200


def _in_flight() -> float | None:
    from prometheus_client import REGISTRY
    return REGISTRY.get_sample_value("meridian_http_requests_in_flight", {"service": "inflight"})


def test_requests_in_flight_are_gauged_until_answered_even_when_they_fail():
    app = Flask("inflight")
    app.config["SERVICE_NAME"] = "inflight"
    app.register_blueprint(build_health_blueprint({}))
    instrument(app, "inflight", log_access=False)
    entered, release = threading.Event(), threading.Event()

    @app.get("/slow")
    def slow():
        entered.set()
        release.wait(timeout=10)
        return {"done": True}

    @app.get("/broken")
    def broken():
        raise RuntimeError("a bug")

    client = app.test_client()
    request = threading.Thread(target=lambda: client.get("/slow"))
    request.start()
    try:
        assert entered.wait(timeout=10)
        assert _in_flight() == 1.0
        scrape = client.get("/metrics").get_data(as_text=True)
        assert 'meridian_http_requests_in_flight{service="inflight"} 1.0' in scrape, \
            "the scrape does not count itself"
    finally:
        release.set()
        request.join(timeout=10)
    assert _in_flight() == 0.0
    assert client.get("/broken").status_code == 500
    assert _in_flight() == 0.0, "a failed request leaves the gauge too"
