"""`meridian demo seed`: the command-line side of the demo loader."""

from __future__ import annotations

import argparse
import os

from ..output import fail
from ..readiness import wait_ready
from .client import ApiError


def _seed(args) -> int:
    from .seed import seed

    gateway = args.gateway.rstrip("/")
    if wait_ready([f"{gateway}/readyz"], args.wait):
        return fail(f"demo: the gateway at {gateway} is not ready after {args.wait:.0f} s")
    try:
        seed(gateway, parallel=args.parallel, scale=args.scale)
    except (ApiError, ValueError) as exc:
        return fail(f"demo: {exc}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def register(sub) -> None:
    """Add `demo seed`."""
    demo = sub.add_parser("demo", help="demo data modelled on real alliance programmes")
    actions = demo.add_subparsers(dest="action", required=True)
    seed = actions.add_parser("seed", help="load the demo alliance through the gateway "
                              "(idempotent; needs dev tokens)")
    seed.add_argument("--gateway", default=os.environ.get("MERIDIAN_GATEWAY_URL",
                                                          "http://127.0.0.1:8080"))
    seed.add_argument("--wait", type=float, default=120,
                      help="seconds to wait for the gateway to be ready")
    seed.add_argument("--parallel", type=int, default=6,
                      help="requests in flight at once (per copy of the alliance)")
    seed.add_argument("--scale", type=_positive, default=1, metavar="N",
                      help="load N copies of the alliance: N times the institutions, courses, "
                      "offerings, students and sessions (default 1)")
    seed.set_defaults(func=_seed)
