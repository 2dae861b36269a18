"""`meridian dev-keys DIR`: the RS256 key pair for dev tokens (local stack, compose, k8s dev)."""

from __future__ import annotations

from pathlib import Path


def write_key_pair(directory: Path) -> bool:
    """Write dev-jwt-private.pem and dev-jwt-public.pem unless both exist; True if written."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private_path, public_path = directory / "dev-jwt-private.pem", directory / "dev-jwt-public.pem"
    if private_path.exists() and public_path.exists():
        return False
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    private_path.chmod(0o600)
    public_path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return True


def _dev_keys(args) -> int:
    write_key_pair(Path(args.directory))
    return 0


def register(sub) -> None:
    """Add `dev-keys`."""
    keys = sub.add_parser("dev-keys", help="create the RS256 key pair for dev tokens")
    keys.add_argument("directory")
    keys.set_defaults(func=_dev_keys)
