"""What the ops commands know about each service, read from its own definitions.

Services are found by convention (`meridian_<name>.worker.build_spec`, and `ALL_DOCUMENTS` in
`meridian_<name>.adapters.documents`, or `.models` in the older flat layout) only when a command
needs them, so a command that needs no service does not load them and an image without one
service still works.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from meridian_common.config import Settings, load_settings

SERVICES = ("catalog", "enrollment", "classroom", "notifications")


class ServiceMissing(Exception):
    """The service's package is not installed here."""


def chosen(name: str | None) -> list[str]:
    """The services a command acts on: one by name, or all of them."""
    if name is None:
        return list(SERVICES)
    if name not in SERVICES:
        raise ValueError(f"unknown service {name!r}; choose from {', '.join(SERVICES)}")
    return [name]


def settings_for(service: str) -> Settings:
    """The service's settings from the environment (database name, topic prefix, ...)."""
    return load_settings(service)


# Where a service declares its documents: the layered layout first, then the flat one.
DOCUMENT_MODULES = ("adapters.documents", "models")


def documents(service: str) -> list:
    """The service's mongoengine Documents (`ALL_DOCUMENTS` of its documents module)."""
    for name in DOCUMENT_MODULES:
        try:
            module = importlib.import_module(f"meridian_{service}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"meridian_{service}", f"meridian_{service}.{name}",
                                f"meridian_{service}.{name.partition('.')[0]}"):
                raise  # the module exists but one of its own imports is missing
            continue
        return list(module.ALL_DOCUMENTS)
    raise ServiceMissing(f"meridian_{service} is not installed (or declares no documents)")


def worker_spec(service: str):
    """The service's WorkerSpec: outbox collections, consumer group, topics, start hooks."""
    try:
        module = importlib.import_module(f"meridian_{service}.worker")
    except ModuleNotFoundError as exc:
        raise ServiceMissing(f"meridian_{service} is not installed") from exc
    return module.build_spec()


@contextmanager
def database(settings: Settings) -> Iterator:
    """A pymongo handle on the service's database (short timeouts: ops must not hang)."""
    from pymongo import MongoClient

    client = MongoClient(settings.mongo_uri, serverSelectionTimeoutMS=3000, tz_aware=True)
    try:
        yield client[settings.mongo_db]
    finally:
        client.close()
