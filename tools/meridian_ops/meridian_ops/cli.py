"""`meridian`: the operator's command line.

  status                       readiness of every process, topics, consumer lag, DLQs, outboxes
  topics ensure|describe       create missing topics and DLQs; partitions, messages, lag
  dlq list|replay              parked messages; send them back to their topic
  outbox backlog               events each service's relay has not yet published
  indexes ensure               every service's MongoDB indexes
  demo seed                    load the demo alliance through the gateway
  wait-ready URL...            wait until every URL answers 200
  dev-keys DIR                 the RS256 key pair for dev tokens
"""

from __future__ import annotations

import argparse
import sys

from . import dlq, indexes, keys, outbox, readiness, status, topics
from .demo import command as demo

COMMAND_GROUPS = (status, topics, dlq, outbox, indexes, demo, readiness, keys)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group."""
    parser = argparse.ArgumentParser(prog="meridian", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `meridian` command."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
