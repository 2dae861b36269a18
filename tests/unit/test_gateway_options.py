"""Gateway-only options: defaults, overrides and environment (pure)."""

import pytest

from meridian_common.config import Settings
from meridian_gateway.options import UNBOUNDED_INFLIGHT, GatewayOptions

UPSTREAMS = {"catalog": "http://c", "enrollment": "http://e", "classroom": "http://r"}


def _options(monkeypatch, env=None, **extra):
    for name in ("MERIDIAN_GATEWAY_READY_UPSTREAMS", "MERIDIAN_GATEWAY_UPSTREAM_MAX_INFLIGHT",
                 "MERIDIAN_THREADS", "MERIDIAN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    settings = Settings(service="gateway", upstreams=UPSTREAMS, upstream_timeout_seconds=5.0)
    return GatewayOptions.from_settings(settings.with_overrides(extra))


def test_defaults(monkeypatch):
    options = _options(monkeypatch)
    assert options.ready_upstreams == ("catalog", "enrollment", "classroom")
    assert options.upstream_max_inflight == 6
    assert (options.connect_timeout_seconds, options.read_timeout_seconds) == (2.0, 5.0)
    # Pages wait for a few API rounds, each allowed the API's own timeout.
    assert options.portal_timeout_seconds == 15.0
    assert _options(monkeypatch, portal_timeout_seconds="8").portal_timeout_seconds == 8.0
    assert options.openapi_cache_seconds == 30


def test_environment_and_overrides(monkeypatch):
    options = _options(monkeypatch, {"MERIDIAN_GATEWAY_READY_UPSTREAMS": "catalog",
                                     "MERIDIAN_THREADS": "4"})
    assert options.ready_upstreams == ("catalog",)
    assert options.upstream_max_inflight == 2
    assert _options(monkeypatch, ready_upstreams="none").ready_upstreams == ()
    assert _options(monkeypatch, upstream_max_inflight=1).upstream_max_inflight == 1


def test_the_in_flight_cap_only_guards_thread_pools(monkeypatch):
    gevent = _options(monkeypatch, {"MERIDIAN_WORKER_CLASS": "gevent", "MERIDIAN_THREADS": "1"})
    assert gevent.upstream_max_inflight == UNBOUNDED_INFLIGHT
    sync = _options(monkeypatch, {"MERIDIAN_WORKER_CLASS": "sync", "MERIDIAN_THREADS": "1"})
    assert sync.upstream_max_inflight == UNBOUNDED_INFLIGHT
    threaded_sync = _options(monkeypatch, {"MERIDIAN_WORKER_CLASS": "sync",
                                           "MERIDIAN_THREADS": "16"})
    assert threaded_sync.upstream_max_inflight == 14


def test_unknown_ready_upstreams_fail_early(monkeypatch):
    with pytest.raises(ValueError, match="billing"):
        _options(monkeypatch, ready_upstreams="catalog,billing")
