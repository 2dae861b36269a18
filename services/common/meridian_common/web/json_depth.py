"""How deeply a JSON document nests, measured without parsing it (so without recursion)."""

from __future__ import annotations

import re

# Deep enough for any Meridian payload, far below where a recursive parser or walker breaks.
MAX_JSON_DEPTH = 32

# One JSON string literal, escapes included: what is inside never counts as nesting.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def nesting_depth(data: bytes) -> int:
    """The deepest level of `[`/`{` nesting in a JSON text (0 for a scalar)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `data` nests deeper than `limit`; cheap when it cannot."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    return nesting_depth(data) > limit
