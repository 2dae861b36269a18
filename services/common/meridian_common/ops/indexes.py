"""`meridian indexes ensure`: create every service's MongoDB indexes (idempotent).

The indexes are created before the first API request (compose's setup service, the Kubernetes
setup Job) and again by each worker when it starts. Only indexes: the documents each service
declares (`meridian_<service>.models.ALL_DOCUMENTS`) and the idempotency-key store; a worker's
other start-up work (backfills) stays with the worker, its data's single writer.
"""

from __future__ import annotations

from . import services
from .output import fail


def ensure(service: str) -> None:
    """Connect to the service's database and create the indexes its documents declare."""
    import mongoengine

    from ..persistence import db, idempotency

    documents = services.documents(service)
    db.connect(services.settings_for(service))
    try:
        db.ensure_indexes(*documents)
        idempotency.ensure_indexes()
    finally:
        mongoengine.disconnect(alias=db.ALIAS)


def _ensure(args) -> int:
    try:
        names = services.chosen(args.service)
    except ValueError as exc:
        return fail(str(exc))
    for name in names:
        try:
            ensure(name)
        except services.ServiceMissing as exc:
            print(f"{name}: skipped ({exc})")
            continue
        except Exception as exc:  # report which service failed, then stop
            return fail(f"indexes: {name}: {exc}")
        print(f"{name}: indexes ready")
    return 0


def register(sub) -> None:
    """Add `indexes ensure`."""
    indexes = sub.add_parser("indexes", help="MongoDB indexes of each service")
    actions = indexes.add_subparsers(dest="action", required=True)
    ensure_cmd = actions.add_parser("ensure", help="create missing indexes (keeps existing)")
    ensure_cmd.add_argument("--service", help="one service (default: all)")
    ensure_cmd.set_defaults(func=_ensure)
