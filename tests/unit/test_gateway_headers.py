"""Which headers the gateway passes on, in each direction (pure)."""

from werkzeug.datastructures import Headers

from meridian_gateway.headers import (
    client_response_headers,
    forwarded_for,
    relative_location,
    upstream_request_headers,
)

BASE = "http://127.0.0.1:8101"


def _outgoing(**extra):
    incoming = Headers({
        "Host": "gateway.example", "Authorization": "Bearer t", "Content-Type": "application/json",
        "If-Match": '"e1"', "If-None-Match": '"e2"', "Idempotency-Key": "k1",
        "Accept": "application/json", "Cookie": "session=secret", "Connection": "keep-alive",
        "Keep-Alive": "timeout=5", "Transfer-Encoding": "chunked", "TE": "trailers",
        "Proxy-Authorization": "Basic x", "X-Request-ID": "client-id", "X-Internal": "1",
        **extra,
    })
    return upstream_request_headers(incoming, request_id="rid-1", client_addr="10.0.0.7")


def test_end_to_end_request_headers_are_forwarded():
    headers = _outgoing()
    assert headers["Authorization"] == "Bearer t"
    assert headers["Content-Type"] == "application/json"
    assert headers["If-Match"] == '"e1"'
    assert headers["If-None-Match"] == '"e2"'
    assert headers["Idempotency-Key"] == "k1"
    assert headers["Accept"] == "application/json"


def test_hop_by_hop_and_unlisted_request_headers_stay_behind():
    lowered = {name.lower() for name in _outgoing()}
    for name in ("host", "cookie", "connection", "keep-alive", "transfer-encoding", "te",
                 "proxy-authorization", "x-internal"):
        assert name not in lowered


def test_the_gateway_sets_request_id_and_forwarded_for():
    headers = _outgoing(**{"X-Forwarded-For": "203.0.113.9"})
    assert headers["X-Request-ID"] == "rid-1"
    assert headers["X-Forwarded-For"] == "203.0.113.9, 10.0.0.7"


def test_without_accept_encoding_the_upstream_is_asked_for_identity():
    assert _outgoing()["Accept-Encoding"] == "identity"
    assert _outgoing(**{"Accept-Encoding": "gzip"})["Accept-Encoding"] == "gzip"


def test_forwarded_for_chain():
    assert forwarded_for(None, "10.0.0.1") == "10.0.0.1"
    assert forwarded_for("a, b", "c") == "a, b, c"
    assert forwarded_for(None, None) is None


def test_response_headers_keep_end_to_end_and_repeated_ones():
    kept = client_response_headers([
        ("Content-Type", "application/problem+json"), ("ETag", '"v1"'),
        ("Retry-After", "3"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
        ("Content-Length", "12"),
    ], BASE)
    assert ("ETag", '"v1"') in kept
    assert ("Retry-After", "3") in kept
    assert [v for n, v in kept if n == "Set-Cookie"] == ["a=1", "b=2"]
    assert ("Content-Type", "application/problem+json") in kept


def test_response_hop_by_hop_and_gateway_owned_headers_are_dropped():
    kept = client_response_headers([
        ("Connection", "keep-alive, X-Private"), ("Keep-Alive", "timeout=5"),
        ("Transfer-Encoding", "chunked"), ("X-Private", "1"), ("Date", "x"), ("Server", "g"),
        ("X-Request-ID", "upstream"), ("Upgrade", "h2c"), ("Content-Type", "text/calendar"),
    ], BASE)
    assert kept == [("Content-Type", "text/calendar")]


def test_locations_pointing_at_the_upstream_become_gateway_paths():
    kept = client_response_headers([("Location", f"{BASE}/api/v1/courses/c1")], BASE)
    assert kept == [("Location", "/api/v1/courses/c1")]
    assert relative_location("/api/v1/x", BASE) == "/api/v1/x"
    assert relative_location("https://elsewhere/x", BASE) == "https://elsewhere/x"
    assert relative_location(f"{BASE}0/x", BASE) == f"{BASE}0/x"
