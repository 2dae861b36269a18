"""An offering's seat figures: counted from its enrollment rows on each read (before) vs read
from the tally the catalog consumer recounts after each batch (after), on the stack's FerretDB.

For offerings of 50, 250, 1,000 and 5,000 enrollments in one fresh database, it times, in one
run, a read of the figures the old way (the adapter's row count, which FerretDB answers by
decoding every row of the offering) and the new way (`MongoSeatCounts.counts`, one lookup of
the tally), and what a recount costs the consumer once per batch. Medians of --reads reads.

Usage (stack up, e.g. `make up`; or `deploy/local/run-bench.sh seat_figures`):
    .venv/bin/python -m bench.seat_figures [--sizes 50,250,1000,5000] [--reads 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import mongoengine

from meridian_catalog.adapters import seats as seat_adapter
from meridian_catalog.adapters.documents import SeatLedgerEntry
from meridian_catalog.adapters.wiring import ensure_indexes
from meridian_common.config import load_settings
from meridian_common.persistence import db


def _median_ms(call, reads: int) -> float:
    timings = []
    for _ in range(reads):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _load(offering_id: str, size: int) -> None:
    rows = [{"_id": f"{offering_id}-{n}", "offering_id": offering_id,
             "status": "confirmed" if n % 3 else "waitlisted", "version": 1}
            for n in range(size)]
    collection = SeatLedgerEntry._get_collection()
    for start in range(0, size, 500):
        collection.insert_many(rows[start:start + 500])


def _measure(counts, size: int, reads: int) -> tuple[float, float, float]:
    offering_id = f"off-{size}-{uuid.uuid4().hex[:6]}"
    _load(offering_id, size)
    before = _median_ms(lambda: seat_adapter.count_rows([offering_id]), reads)
    recount = _median_ms(lambda: counts.recount([offering_id]), max(3, reads // 5))
    assert counts.counts([offering_id]) == seat_adapter.count_rows([offering_id])
    after = _median_ms(lambda: counts.counts([offering_id]), reads)
    return before, after, recount


def main() -> int:
    """Print before/after medians and ratios per offering size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,250,1000,5000")
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    database = f"bench_seats_{uuid.uuid4().hex[:8]}"
    db.connect(load_settings("catalog", {"mongo_db": database}))
    ensure_indexes()
    counts = seat_adapter.MongoSeatCounts()
    print(f"{'enrollments':>11}  {'rows counted (ms)':>17}  {'tally read (ms)':>15}  "
          f"{'ratio':>6}  {'recount (ms)':>12}")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            before, after, recount = _measure(counts, size, args.reads)
            print(f"{size:>11}  {before:>17.2f}  {after:>15.2f}  {before / after:>5.1f}x  "
                  f"{recount:>12.2f}")
    finally:
        mongoengine.get_connection(db.ALIAS).drop_database(database)
        mongoengine.disconnect(alias=db.ALIAS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
