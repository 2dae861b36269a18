"""Plain-text tables and JSON for the ops commands' answers."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], out=None) -> None:
    """Print rows under headers in aligned columns."""
    out = out or sys.stdout
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip(), file=out)


def emit_json(payload: object, out=None) -> None:
    """Print one JSON document (for scripts and monitoring)."""
    print(json.dumps(payload, indent=2, sort_keys=True, default=str), file=out or sys.stdout)


def fail(message: str) -> int:
    """Print an error for the operator and return the exit code 1."""
    print(f"meridian: {message}", file=sys.stderr)
    return 1
