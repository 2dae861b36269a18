"""Helpers for tests against the real local stack: waiting, tokens, Kafka reading."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import jwt
from kafka import KafkaConsumer

T = TypeVar("T")


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.1,
             message: str = "condition") -> object:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # a not-yet-ready dependency is retried until the deadline
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}"
                         + (f" (last error: {last_error!r})" if last_error else ""))


def retrying(send: Callable[[], T], settled: Callable[[T], bool], timeout: float,
             pause: Callable[[T], float] = lambda _result: 1.0) -> T:
    """Call `send` until `settled(result)` or `timeout` seconds passed; the last result.

    For clients retrying a busy server: `pause` says how long to wait (e.g. Retry-After).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = send()
        left = deadline - time.monotonic()
        if settled(result) or left <= 0:
            return result
        time.sleep(min(pause(result), left))


def env(name: str) -> str:
    """A MERIDIAN_* variable exported by deploy/local/env.sh (run the suite via `make test`)."""
    value = os.environ.get(f"MERIDIAN_{name}")
    if value is None:
        raise RuntimeError(f"MERIDIAN_{name} is not set: run tests through `make test` "
                           "or deploy/local/pytest.sh")
    return value


def make_token(sub: str, roles: list[str], institution_id: str | None = None,
               timezone: str | None = None, ttl: int = 3600, **overrides) -> str:
    """An RS256 token signed with the local stack's dev key, as the gateway would issue."""
    now = int(time.time())
    claims = {"sub": sub, "roles": roles, "iss": "meridian-dev", "aud": "meridian",
              "iat": now, "exp": now + ttl}
    if institution_id:
        claims["institution_id"] = institution_id
    if timezone:
        claims["timezone"] = timezone
    claims.update(overrides)
    key = Path(env("DEV_AUTH_PRIVATE_KEY_FILE")).read_text()
    return jwt.encode(claims, key, algorithm="RS256")


def unique(prefix: str = "t") -> str:
    """A short unique name for databases, topics and users."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def supervisorctl(*args: str) -> str:
    """Run supervisorctl against the test stack (e.g. to stop and start Kafka)."""
    result = subprocess.run(["supervisorctl", "-c", env("SUPERVISOR_CONF"), *args],
                            capture_output=True, text=True, timeout=120)
    return result.stdout + result.stderr


class TopicReader:
    """Reads a topic from the beginning and keeps everything it has seen."""

    def __init__(self, topic: str):
        self.messages: list = []
        self._consumer = KafkaConsumer(topic, bootstrap_servers=env("KAFKA_BOOTSTRAP"),
                                       auto_offset_reset="earliest", enable_auto_commit=False,
                                       group_id=None)

    def poll(self) -> list:
        """Fetch whatever arrived since the last call."""
        for batch in self._consumer.poll(timeout_ms=200).values():
            self.messages.extend(batch)
        return self.messages

    def wait_until(self, predicate: Callable[[list], bool], timeout: float = 30.0) -> list:
        """Poll until `predicate(all messages)` holds."""
        wait_for(lambda: predicate(self.poll()), timeout=timeout, message="kafka messages")
        return self.messages

    def close(self) -> None:
        """Close the consumer."""
        self._consumer.close()


def header(message, name: str) -> str | None:
    """A Kafka header's value as text."""
    for key, value in message.headers or []:
        if key == name:
            return value.decode()
    return None
