"""Helpers shared by the notifications blueprints: the wired ports and use cases."""

from __future__ import annotations

from flask import current_app

from ..adapters.wiring import Ports
from ..application.inbox import Inbox
from ..application.preferences import PreferencesService

PORTS = "meridian.notifications.ports"


def ports() -> Ports:
    """This app's ports."""
    return current_app.extensions[PORTS]


def preferences() -> PreferencesService:
    """The preferences use cases on this app's ports."""
    wired = ports()
    return PreferencesService(wired.preferences, wired.config.unsubscribe_secret,
                              replans=wired.replans, clock=wired.clock)


def inbox() -> Inbox:
    """The inbox use cases on this app's ports."""
    wired = ports()
    return Inbox(wired.notifications, wired.clock)
