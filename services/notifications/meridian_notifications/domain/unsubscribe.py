"""One-click unsubscribe tokens (RFC 8058): the user id signed with the service's secret.

Stateless on purpose: every mail for any recipient can carry a link without a stored token
(so no document gains a second writer), and the token cannot be forged without the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

_SEPARATOR = "."
_MAC_CHARS = 32


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _mac(user_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), b"unsubscribe\n" + user_id.encode(), hashlib.sha256)
    return _b64(digest.digest())[:_MAC_CHARS]


def unsubscribe_token(user_id: str, secret: str) -> str:
    """The token of `user_id`'s unsubscribe link."""
    return _b64(user_id.encode()) + _SEPARATOR + _mac(user_id, secret)


def token_holder(token: str, secret: str) -> str | None:
    """The user whose token this is, or None for anything not issued with `secret`."""
    encoded, sep, mac = token.partition(_SEPARATOR)
    if not sep or not encoded or len(mac) != _MAC_CHARS:
        return None
    try:
        user_id = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not user_id or not hmac.compare_digest(mac, _mac(user_id, secret)):
        return None
    return user_id
