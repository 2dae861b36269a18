"""Equality on fields other than `_id` on PostgreSQL: the previous build vs deploy/local's build.

deploy/local/ferretdb-id-index.patch gives every collection a GIN index on its documents and
pushes `{field: v}` and `{field: {$in: [...]}}` down as containment it serves (ADR 0008). This
starts one FerretDB of each build on its own database of the stack's PostgreSQL, loads the same
50,000 documents into both (250 per offering), and prints, measured in one run: medians of the
reads and of the write rates (the GIN index costs writes), and the ratios. The baseline is the
build before the GIN index (`ferretdb-v1.24.2-id-index-2` in the cache: `_id` lookups already
patched, so the write rates differ only by the index), or any binary given with --before.
Run with the stack up: `python -m bench.ferretdb_equality [--before BINARY] [--after BINARY]`
in a shell that sourced deploy/local/env.sh and .helper.env.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymongo

from bench.ferretdb_backends import (
    DOCUMENTS,
    OFFERINGS,
    WRITERS,
    _binaries,
    _env,
    _load,
    _median,
    _psql,
    _writes_per_second,
    ferretdb_process,
)

INSERTS, INSERT_BATCH = 10_000, 500
IN_VALUES = 10


@contextmanager
def _ferretdb(binary: str, database: str, workdir: Path) -> Iterator[pymongo.MongoClient]:
    """One FerretDB process on its own PostgreSQL database, and a client for it."""
    state = workdir / f"state-{database}"
    state.mkdir()
    url = (f"postgres://meridian@127.0.0.1:{_env('MERIDIAN_POSTGRES_PORT')}/{database}"
           "?pool_max_conns=20")
    handler = ["--handler=postgresql", f"--postgresql-url={url}"]
    with ferretdb_process(binary, state, handler) as client:
        yield client


def _offering(n: int) -> str:
    return f"off-{n % OFFERINGS:03d}"


def _reads(collection, reps: int) -> dict[str, float]:
    def find_offering(rep: int) -> None:
        hits = list(collection.find({"offering_id": _offering(rep * 37)}))
        assert len(hits) == DOCUMENTS // OFFERINGS, len(hits)

    def find_in(rep: int) -> None:
        values = [_offering(rep * 37 + 11 * i) for i in range(IN_VALUES)]
        hits = list(collection.find({"offering_id": {"$in": values}}))
        assert len(hits) == IN_VALUES * DOCUMENTS // OFFERINGS, len(hits)

    return {"find": _median(find_offering, reps), "in": _median(find_in, reps)}


def _inserts_per_second(collection) -> float:
    """insert_many of INSERTS fresh documents shaped like the loaded ones, in batches."""
    collection.drop()
    started = time.perf_counter()
    for first in range(0, INSERTS, INSERT_BATCH):
        collection.insert_many([{"_id": f"new-{n:05d}", "offering_id": _offering(n),
                                 "status": "open", "starts_at": n, "title": f"Course {n}",
                                 "pad": "x" * 200}
                                for n in range(first, first + INSERT_BATCH)], ordered=False)
    return INSERTS / (time.perf_counter() - started)


def _measure(client, database: str, reps: int) -> dict[str, float]:
    collection = client[database].courses
    _load(collection)
    result = _reads(collection, reps)
    result["inserts"] = statistics.median(_inserts_per_second(client[database].fresh)
                                          for _ in range(3))
    result["updates"] = statistics.median(_writes_per_second(collection) for _ in range(3))
    return result


def _builds() -> dict[str, str]:
    """The baseline and the measured binaries, from the command line or the cache."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cache = Path(_env("MERIDIAN_CACHE")) / "bin"
    parser.add_argument("--before", default=str(cache / f"ferretdb-{_env('FERRETDB_VERSION')}"
                                                         "-id-index-2"))
    parser.add_argument("--after", default=_binaries()["patched"])
    args = parser.parse_args()
    if not Path(args.before).is_file():
        raise SystemExit(f"no baseline binary {args.before}: give one with --before")
    return {"before": args.before, "after": args.after}


def main(reps: int = 21) -> None:
    """Measure both builds and print the table."""
    binaries = _builds()
    databases = {"before": "ferretdb_bench_before", "after": "ferretdb_bench_after"}
    results: dict[str, dict[str, float]] = {}
    for database in databases.values():
        _psql(f"DROP DATABASE IF EXISTS {database}")
        _psql(f"CREATE DATABASE {database}")
    try:
        with tempfile.TemporaryDirectory(prefix="ferretdb-equality-") as tmp:
            for build, database in databases.items():
                with _ferretdb(binaries[build], database, Path(tmp)) as client:
                    results[build] = _measure(client, database, reps)
    finally:
        for database in databases.values():
            _psql(f"DROP DATABASE IF EXISTS {database}")
    _print(results)


def _print(results: dict[str, dict[str, float]]) -> None:
    before, after = results["before"], results["after"]
    print(f"FerretDB {_env('FERRETDB_VERSION')} on PostgreSQL, {DOCUMENTS:,} documents, medians "
          "(ratio: before / after; above 1 means the new build is faster)")
    print(f"{'operation':<48}{'before':>12}{'after':>12}{'ratio':>8}")
    hits = DOCUMENTS // OFFERINGS
    for label, key in ((f"find({{offering_id}}) ({hits} hits)", "find"),
                       (f"find({{offering_id: {{$in: {IN_VALUES}}}}}) ({IN_VALUES * hits} hits)",
                        "in")):
        print(f"{label:<48}{before[key] * 1000:>10.2f}ms{after[key] * 1000:>10.2f}ms"
              f"{before[key] / after[key]:>8.1f}")
    for label, key in ((f"insert_many {INSERTS:,} in batches of {INSERT_BATCH}", "inserts"),
                       (f"{WRITERS} threads x $set on own documents", "updates")):
        print(f"{label:<48}{before[key]:>10.0f}/s{after[key]:>10.0f}/s"
              f"{before[key] / after[key]:>8.2f}")


if __name__ == "__main__":
    main()
