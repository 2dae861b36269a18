"""Opaque, prefixed identifiers (the prefix only helps humans reading logs)."""

import secrets


def new_id(prefix: str) -> str:
    """A random id such as `crs_5f1c0a9e7b2d4c3a8e6f`."""
    return f"{prefix}_{secrets.token_hex(10)}"
