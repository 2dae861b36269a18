"""Which event type the worker hands to which handler."""

from __future__ import annotations

from meridian_common.messaging.consumer import Handler


def build_handlers(ports) -> dict[str, Handler]:
    """The worker's handler table (the delivery pipeline registers its handlers here)."""
    return {}
