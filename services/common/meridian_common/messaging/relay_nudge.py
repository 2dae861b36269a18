"""Wake-up nudges for the outbox relay: a UDP datagram from a writer to its service's worker.

A nudge is only a hint that events were stored: a lost one costs the next poll's wait, never
an event (the relay still polls). The sender is created per process (app factory) and bound
to each request's context, like the request id; the worker's own threads are bound to its
listener, so events they store wake the relay in-process.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import select
import socket
import threading
import time

from prometheus_client import Counter

log = logging.getLogger(__name__)

NUDGE_FAILURES = Counter("meridian_relay_nudge_failures_total",
                         "Relay nudges that could not be sent (the relay's poll finds the events)",
                         ["service"])
# A worker container restarted with a new address is found again within this time.
RESOLVE_EVERY = 30.0
RESOLVE_RETRY = 5.0
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_bound: contextvars.ContextVar = contextvars.ContextVar("relay_nudge", default=None)


def parse_address(address: str) -> tuple[str, int]:
    """`host:port` (or `[v6]:port`) as a (host, port) pair."""
    host, _, port = address.strip().rpartition(":")
    return host.strip("[]"), int(port)


def _resolve(host: str, port: int) -> tuple[int, tuple]:
    family, _type, _proto, _name, sockaddr = socket.getaddrinfo(host, port,
                                                                type=socket.SOCK_DGRAM)[0]
    return family, sockaddr


def _open(family: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.setblocking(False)
    return sock


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _in_background(work) -> None:
    threading.Thread(target=work, name="relay-nudge-resolve", daemon=True).start()


class NudgeSender:
    """Sends fire-and-forget nudges to one worker; never raises, never blocks the caller."""

    def __init__(self, address: str, service: str, *, resolve=_resolve, open_socket=_open,
                 run=_in_background, clock=time.monotonic):
        self.host, self.port = parse_address(address)
        self.service = service
        self._resolve, self._open, self._run, self._clock = resolve, open_socket, run, clock
        self._target: tuple[int, tuple] | None = None
        self._sock: socket.socket | None = None
        self._next_resolve = 0.0
        self._lock = threading.Lock()

    def nudge(self) -> None:
        """Tell the worker that events were stored (dropped silently when it cannot be told)."""
        try:
            self._maybe_resolve()
            target = self._target
            if target is None:
                raise OSError("nudge address not resolved yet")
            family, sockaddr = target
            if self._sock is None or self._sock.family != family:
                self._sock = self._open(family)
            self._sock.sendto(b"n", sockaddr)
        except OSError:  # full buffer, no route, unresolved name: the poll covers it
            NUDGE_FAILURES.labels(self.service).inc()

    def _maybe_resolve(self) -> None:
        # Name lookups can block for seconds, so they run beside the request, at most every
        # RESOLVE_EVERY; meanwhile nudges go to the address found last.
        with self._lock:
            if self._clock() < self._next_resolve:
                return
            self._next_resolve = self._clock() + RESOLVE_RETRY
        # An IP address needs no name server: resolved at once, even the first nudge lands.
        if _is_ip(self.host):
            self._lookup()
        else:
            self._run(self._lookup)

    def _lookup(self) -> None:
        try:
            self._target = self._resolve(self.host, self.port)
            with self._lock:
                self._next_resolve = self._clock() + RESOLVE_EVERY
        except (OSError, UnicodeError):
            log.debug("relay nudge: cannot resolve %s", self.host, exc_info=True)


class NudgeListener:
    """The worker's end: the relay waits on it between rounds instead of sleeping."""

    def __init__(self, address: str):
        host, port = parse_address(address)
        # A name (a container or Service) reaches this worker from outside: listen on all
        # interfaces; a loopback address (the local stack) stays on loopback.
        bind_host = host if host in _LOOPBACK else "0.0.0.0"
        family, sockaddr = _resolve(bind_host, port)
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.bind(sockaddr)
        self._sock.setblocking(False)
        self._self_address = ("127.0.0.1" if bind_host == "0.0.0.0" else sockaddr[0],
                              self._sock.getsockname()[1])

    @property
    def address(self) -> str:
        """Where this process can nudge the listener (its port, when it was bound to port 0)."""
        return f"{self._self_address[0]}:{self._self_address[1]}"

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` s for a nudge; True if one (or several, all taken) arrived."""
        try:
            readable, _w, _x = select.select([self._sock], [], [], max(timeout, 0.0))
        except (OSError, ValueError):  # closed while waiting: behave as a plain pause ending
            return False
        return bool(readable) and self.drain()

    def drain(self) -> bool:
        """Take every pending datagram (a burst of nudges asks for one round); True if any."""
        taken = False
        while True:
            try:
                self._sock.recv(64)
                taken = True
            except (BlockingIOError, InterruptedError):
                return taken
            except OSError:
                return taken

    def nudge(self) -> None:
        """Wake the waiting relay from this process (a stop, or events a worker thread stored)."""
        try:
            with socket.socket(self._sock.family, socket.SOCK_DGRAM) as sock:
                sock.setblocking(False)
                sock.sendto(b"n", self._self_address)
        except OSError:
            log.debug("relay nudge to self failed", exc_info=True)

    def close(self) -> None:
        """Release the port."""
        self._sock.close()


def bind(sender) -> contextvars.Token:
    """Make `sender` (anything with `nudge()`) the one this context's outbox writes nudge."""
    return _bound.set(sender)


def nudge_relay() -> None:
    """Nudge the relay bound to this context, if any: call after a write that stored events."""
    sender = _bound.get()
    if sender is not None:
        sender.nudge()
