"""`meridian`: the operator's command line (topics, readiness, dev keys)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

from .config import load_settings
from .kafka_clients import ensure_topics


def _topics(args) -> int:
    settings = load_settings("ops")
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            created = ensure_topics(settings, partitions=args.partitions,
                                    replication_factor=args.replication_factor)
            print(f"topics ready ({len(created)} created)")
            return 0
        except Exception as exc:  # the broker may still be starting: keep trying until deadline
            if time.monotonic() > deadline:
                print(f"topics: Kafka did not answer: {exc}", file=sys.stderr)
                return 1
            time.sleep(1)


def _wait_ready(args) -> int:
    deadline = time.monotonic() + args.timeout
    pending = list(args.urls)
    while pending:
        still = []
        for url in pending:
            try:
                if requests.get(url, timeout=2).status_code != 200:
                    still.append(url)
            except requests.RequestException:
                still.append(url)
        pending = still
        if pending and time.monotonic() > deadline:
            print("not ready: " + ", ".join(pending), file=sys.stderr)
            return 1
        if pending:
            time.sleep(0.5)
    return 0


def _dev_keys(args) -> int:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    directory = Path(args.directory)
    private_path, public_path = directory / "dev-jwt-private.pem", directory / "dev-jwt-public.pem"
    if private_path.exists() and public_path.exists():
        return 0
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    private_path.chmod(0o600)
    public_path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `meridian` command."""
    parser = argparse.ArgumentParser(prog="meridian", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    topics = sub.add_parser("topics", help="create missing topics and DLQs")
    topics.add_argument("action", choices=["ensure"])
    topics.add_argument("--timeout", type=float, default=60)
    topics.add_argument("--partitions", type=int, default=6)
    topics.add_argument("--replication-factor", type=int, default=1)
    topics.set_defaults(func=_topics)
    ready = sub.add_parser("wait-ready", help="wait until every URL answers 200")
    ready.add_argument("urls", nargs="+")
    ready.add_argument("--timeout", type=float, default=120)
    ready.set_defaults(func=_wait_ready)
    keys = sub.add_parser("dev-keys", help="create the local RS256 signing key pair")
    keys.add_argument("directory")
    keys.set_defaults(func=_dev_keys)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
