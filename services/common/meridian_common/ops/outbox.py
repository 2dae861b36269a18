"""`meridian outbox backlog`: stored events each service's relay has not yet published."""

from __future__ import annotations

from datetime import timedelta

from . import services
from .output import emit_json, fail, table


def backlog(service: str, lookback: timedelta = timedelta(days=7)) -> dict:
    """{pending, oldest_age_seconds} of one service's outbox."""
    from ..events.envelope import as_utc, utcnow
    from ..persistence.pending import pending_events

    spec = services.worker_spec(service)
    with services.database(services.settings_for(service)) as db:
        pending = pending_events(db, spec.outbox_collections, utcnow() - lookback)
    oldest = (utcnow() - as_utc(pending[0]["stored_at"])).total_seconds() if pending else None
    return {"pending": len(pending), "oldest_age_seconds": oldest}


def _backlog(args) -> int:
    try:
        names = services.chosen(args.service)
        report = {name: backlog(name, timedelta(days=args.days)) for name in names}
    except (ValueError, services.ServiceMissing) as exc:
        return fail(str(exc))
    except Exception as exc:  # database unreachable: say so plainly
        return fail(f"outbox: the database did not answer: {exc}")
    if args.json:
        emit_json(report)
    else:
        table(["service", "pending events", "oldest (s)"],
              [(name, r["pending"], None if r["oldest_age_seconds"] is None
                else round(r["oldest_age_seconds"], 1)) for name, r in report.items()])
    return 0


def register(sub) -> None:
    """Add `outbox backlog`."""
    outbox = sub.add_parser("outbox", help="events waiting for the relay")
    actions = outbox.add_subparsers(dest="action", required=True)
    show = actions.add_parser("backlog", help="pending events per service and the oldest's age")
    show.add_argument("--service", help="one service (default: all)")
    show.add_argument("--days", type=float, default=7, help="how far back to look")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_backlog)
