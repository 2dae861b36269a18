"""Recently verified bearer tokens, remembered briefly: a client sends the same token with
every request, and verifying it (PyJWT decoding, RS256) is a good part of the gateway's cost.

Only successes are remembered, keyed by the exact token string, for at most `ttl_seconds` and
never past the token's own `exp`: a key withdrawn from the JWKS stops working within the TTL,
as it would within the key set's cache lifespan anyway. Services verify every token again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import jwt

from meridian_common.web.auth import Principal, TokenVerifier


class CachingVerifier:
    """A TokenVerifier in front of which the last `size` good tokens are remembered."""

    def __init__(self, verifier: TokenVerifier, *, ttl_seconds: float = 60, size: int = 10_000,
                 clock: Callable[[], float] = time.time):
        self._verifier = verifier
        self._ttl = ttl_seconds
        self._size = size
        self._clock = clock
        self._lock = threading.Lock()
        self._good: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    def verify(self, token: str) -> Principal:
        """The principal of a valid token, from memory when it was verified moments ago."""
        now = self._clock()
        with self._lock:
            remembered = self._good.get(token)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        principal = self._verifier.verify(token)  # raises a 401 ApiError for a bad token
        # Already verified above; only the expiry is read again, to bound the memory by it.
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]
        with self._lock:
            self._good[token] = (min(now + self._ttl, float(expires)), principal)
            self._good.move_to_end(token)
            while len(self._good) > self._size:
                self._good.popitem(last=False)
        return principal
