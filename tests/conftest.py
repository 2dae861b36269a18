"""Session-wide fixtures: the running test stack, tokens, isolated databases and topics."""

from __future__ import annotations

import pymongo
import pytest
import requests

from meridian_common.config import load_settings
from meridian_common.messaging.kafka_clients import ensure_topics
from tests.support import env, make_token, unique


@pytest.fixture(scope="session")
def gateway_url() -> str:
    """Base URL of the test stack's gateway."""
    return env("GATEWAY_URL")


@pytest.fixture(scope="session")
def service_urls() -> dict[str, str]:
    """Direct URLs of each service of the test stack."""
    return {name: env(f"{name.upper()}_URL")
            for name in ("catalog", "enrollment", "classroom", "notifications")}


@pytest.fixture(scope="session")
def mongo_client():
    """A pymongo client for the test stack's FerretDB."""
    client = pymongo.MongoClient(env("MONGO_URI"), tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def isolated_db_name(mongo_client):
    """A fresh database name, dropped after the test."""
    name = unique("t_")
    yield name
    mongo_client.drop_database(name)


@pytest.fixture
def topic_prefix():
    """A fresh topic prefix with every platform topic (and DLQ) created under it."""
    prefix = f"{unique('t')}."
    ensure_topics(load_settings("tests", {"topic_prefix": prefix}), partitions=3)
    return prefix


@pytest.fixture
def http():
    """A requests session that never raises on status codes."""
    with requests.Session() as session:
        yield session


class Client:
    """A tiny API client bound to a base URL and (optionally) a bearer token."""

    def __init__(self, session: requests.Session, base: str, token: str | None = None):
        self.session, self.base, self.token = session, base, token

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Send a request; `path` is relative to the base URL."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.session.request(method, self.base + path, headers=headers, timeout=30,
                                    **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def as_user(http, gateway_url):
    """`as_user(sub, roles, institution_id=None, timezone=None)` → Client through the gateway."""

    def build(sub: str | None = None, roles: list[str] | None = None,
              institution_id: str | None = None, timezone: str | None = None,
              base: str | None = None) -> Client:
        token = make_token(sub or unique("u-"), roles or [], institution_id, timezone)
        return Client(http, base or gateway_url, token)

    return build


@pytest.fixture
def anonymous(http, gateway_url) -> Client:
    """A client without a token, through the gateway."""
    return Client(http, gateway_url)


@pytest.fixture
def admin(as_user) -> Client:
    """A platform admin, through the gateway."""
    return as_user("platform-admin", ["admin"])
