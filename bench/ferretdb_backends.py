"""FerretDB 1.24.2 on SQLite against FerretDB on PostgreSQL, black-box, measured in one run.

Starts its own FerretDB processes on free ports: one on SQLite files in a temporary directory,
one on the stack's PostgreSQL (database `ferretdb_bench`, dropped afterwards), loads the same
50,000 documents into both, then times typical reads and writes through pymongo. The lookups by
`_id` are timed twice: with deploy/local's patched build and with FerretDB as released.
Prints medians and ratios (PostgreSQL against SQLite, patched against released).
Run with the stack up: `source .helper.env && deploy/local/run-bench.sh`, or
`python -m bench.ferretdb_backends` in a shell that sourced deploy/local/env.sh.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pymongo

DOCUMENTS = 50_000
OFFERINGS = 200  # 250 documents per offering
STATUSES = ("open", "full", "closed", "draft", "archived")
WRITERS, WRITES_EACH = 16, 500
BENCH_DB = "ferretdb_bench"


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"{name} is not set: source deploy/local/env.sh (or use run-bench.sh)")
    return value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _psql(sql: str) -> None:
    root = Path(_env("MERIDIAN_ROOT"))
    pg_bin = subprocess.run([root / "deploy/local/fetch-postgres.sh"], check=True,
                            capture_output=True, text=True).stdout.strip()
    subprocess.run([f"{pg_bin}/psql", "-h", "127.0.0.1", "-p", _env("MERIDIAN_POSTGRES_PORT"),
                    "-U", "meridian", "-d", "postgres", "-qtAX", "-c", sql], check=True)


def _binaries() -> dict[str, str]:
    """The patched build the stack runs and the released build, built into the cache if missing."""
    fetch = Path(_env("MERIDIAN_ROOT")) / "deploy/local/fetch-ferretdb.sh"
    subprocess.run([fetch], check=True)
    subprocess.run([fetch, "--unpatched"], check=True)
    cache = Path(_env("MERIDIAN_CACHE")) / "bin"
    return {"patched": str(cache / f"ferretdb-{_env('FERRETDB_BUILD')}"),
            "released": str(cache / f"ferretdb-{_env('FERRETDB_VERSION')}")}


def _backend_args(backend: str, workdir: Path) -> list[str]:
    if backend == "sqlite":
        (workdir / "sqlite").mkdir(exist_ok=True)
        return ["--handler=sqlite", f"--sqlite-url=file:{workdir}/sqlite/"]
    url = (f"postgres://meridian@127.0.0.1:{_env('MERIDIAN_POSTGRES_PORT')}/{BENCH_DB}"
           "?pool_max_conns=40")
    return ["--handler=postgresql", f"--postgresql-url={url}"]


@contextmanager
def ferretdb_process(binary: str, state: Path,
                     handler_args: list[str]) -> Iterator[pymongo.MongoClient]:
    """A FerretDB process with its own state directory and handler, and a client for it."""
    port = _free_port()
    process = subprocess.Popen(
        [binary, f"--listen-addr=127.0.0.1:{port}", f"--state-dir={state}", "--telemetry=disable",
         "--debug-addr=-", "--log-level=error", *handler_args])
    client = pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/", maxPoolSize=WRITERS + 4,
                                 serverSelectionTimeoutMS=30_000)
    try:
        client.admin.command("ping")
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(30)


@contextmanager
def _ferretdb(binary: str, backend: str, workdir: Path) -> Iterator[pymongo.MongoClient]:
    """One FerretDB process on `backend`, and a client for it; stopped on exit."""
    state = workdir / f"state-{backend}"
    state.mkdir(exist_ok=True)
    with ferretdb_process(binary, state, _backend_args(backend, workdir)) as client:
        yield client


def _load(collection) -> None:
    collection.drop()
    batch = []
    for n in range(DOCUMENTS):
        batch.append({"_id": f"doc-{n:05d}", "offering_id": f"off-{n % OFFERINGS:03d}",
                      "status": STATUSES[n // OFFERINGS % len(STATUSES)], "starts_at": n,
                      "title": f"Course {n}", "pad": "x" * 200})
        if len(batch) == 1000:
            collection.insert_many(batch, ordered=False)
            batch = []
    collection.create_index("offering_id")
    collection.create_index([("offering_id", 1), ("status", 1)])


def _median(operation: Callable[[int], object], reps: int) -> float:
    timings = []
    for rep in range(reps):
        started = time.perf_counter()
        operation(rep)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _reads(collection, reps: int) -> dict[str, float]:
    def find_offering(rep: int) -> None:
        hits = list(collection.find({"offering_id": f"off-{rep * 37 % OFFERINGS:03d}"}))
        assert len(hits) == DOCUMENTS // OFFERINGS, len(hits)

    def listing_page(rep: int) -> None:
        query = {"offering_id": f"off-{rep * 37 % OFFERINGS:03d}", "status": "open"}
        total = collection.count_documents(query)
        page = list(collection.find(query).sort("starts_at", -1).limit(20))
        assert total == DOCUMENTS // OFFERINGS // len(STATUSES) and len(page) == 20, total

    return {"find": _median(find_offering, reps), "page": _median(listing_page, reps),
            "by_id": _by_id(collection, reps * 40)}


def _by_id(collection, reps: int) -> float:
    def find_one(rep: int) -> None:
        assert collection.find_one({"_id": f"doc-{rep * 7919 % DOCUMENTS:05d}"}) is not None

    return _median(find_one, reps)


def _writes_per_second(collection) -> float:
    """16 threads, each `$set` 500 times on documents of its own."""
    start = threading.Barrier(WRITERS + 1)

    def writer(t: int) -> None:
        start.wait()
        for i in range(WRITES_EACH):
            collection.update_one({"_id": f"doc-{t * WRITES_EACH + i:05d}"},
                                  {"$set": {"title": f"Updated {i}"}})

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(WRITERS)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return WRITERS * WRITES_EACH / (time.perf_counter() - started)


def main(reps: int = 5) -> None:
    """Measure both backends and print the table."""
    binaries = _binaries()
    _psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _psql(f"CREATE DATABASE {BENCH_DB}")
    results: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="ferretdb-bench-") as tmp:
            workdir = Path(tmp)
            for backend in ("sqlite", "postgresql"):
                with _ferretdb(binaries["patched"], backend, workdir) as client:
                    collection = client[BENCH_DB].courses
                    _load(collection)
                    results[backend] = _reads(collection, reps)
                    results[backend]["writes"] = statistics.median(
                        _writes_per_second(collection) for _ in range(3))
                with _ferretdb(binaries["released"], backend, workdir) as client:
                    # Fewer repetitions: as released, SQLite reads the whole table each time.
                    results[backend]["by_id_released"] = _by_id(client[BENCH_DB].courses,
                                                                reps * 4)
    finally:
        _psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _print(results)


def _print(results: dict[str, dict[str, float]]) -> None:
    sqlite, pg = results["sqlite"], results["postgresql"]
    print(f"FerretDB {_env('FERRETDB_VERSION')}, {DOCUMENTS:,} documents, medians "
          "(ratio: how many times faster PostgreSQL is)")
    print(f"{'operation':<52}{'SQLite':>12}{'PostgreSQL':>12}{'ratio':>8}")
    rows = [("find({offering_id}) (250 hits)", "find"),
            ("count_documents + find().sort().limit(20) (50 hits)", "page"),
            ("find_one({_id}), FerretDB as released", "by_id_released"),
            ("find_one({_id}), deploy/local's patched build", "by_id")]
    for label, key in rows:
        print(f"{label:<52}{sqlite[key] * 1000:>10.2f}ms{pg[key] * 1000:>10.2f}ms"
              f"{sqlite[key] / pg[key]:>8.1f}")
    writes = f"{WRITERS} threads x {WRITES_EACH} $set on own documents"
    print(f"{writes:<52}{sqlite['writes']:>10.0f}/s{pg['writes']:>10.0f}/s"
          f"{pg['writes'] / sqlite['writes']:>8.1f}")
    for name, backend in (("SQLite", sqlite), ("PostgreSQL", pg)):
        print(f"patch on {name}: find_one by _id {backend['by_id_released'] / backend['by_id']:.1f}"
              " times faster than FerretDB as released")


if __name__ == "__main__":
    main()
