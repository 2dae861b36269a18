"""`meridian wait-ready URL...`: wait until every URL answers 200 (scripts, health checks)."""

from __future__ import annotations

import time

from .output import fail


def answers_ok(url: str, timeout: float = 2.0) -> bool:
    """True when a GET of `url` answers 200 within `timeout` seconds."""
    import requests

    try:
        return requests.get(url, timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def wait_ready(urls: list[str], timeout: float, interval: float = 0.5) -> list[str]:
    """Poll until every URL answers 200 or `timeout` passes; returns those still failing."""
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while True:
        pending = [url for url in pending
                   if not answers_ok(url, max(0.5, min(2.0, deadline - time.monotonic())))]
        if not pending or time.monotonic() > deadline:
            return pending
        time.sleep(interval)


def _wait_ready(args) -> int:
    pending = wait_ready(args.urls, args.timeout)
    return fail("not ready: " + ", ".join(pending)) if pending else 0


def register(sub) -> None:
    """Add `wait-ready`."""
    ready = sub.add_parser("wait-ready", help="wait until every URL answers 200")
    ready.add_argument("urls", nargs="+")
    ready.add_argument("--timeout", type=float, default=120)
    ready.set_defaults(func=_wait_ready)
