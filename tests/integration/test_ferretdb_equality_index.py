"""On PostgreSQL the local FerretDB is built with deploy/local/ferretdb-id-index.patch: equality
on any top-level field and `$in` over scalars are answered through a GIN index on the documents
(ADR 0008) with MongoDB's results: arrays holding the value match, equal numbers of different
types match, missing fields do not."""

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from bson import Int64, ObjectId

OID = ObjectId()
WHEN = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
ODD = 'say "hi" \\ \u00fc \u65e5\u672c \U0001f600 <&>'

# id -> value of `f` (None: stored as null; absent ids have no `f` at all).
DOCUMENTS = {
    1: "a", 2: ["a", "b"], 3: "b", 5: None, 6: {"x": "a"}, 7: [{"x": "a"}], 8: 1, 9: 1.0,
    10: Int64(1), 11: [1.0, 2], 12: ODD, 13: "1", 14: True, 15: OID, 16: WHEN, 17: [OID],
}
MISSING = (4, 18)

# filter -> the ids MongoDB returns for it.
EXPECTED = [
    ({"f": "a"}, {1, 2}),
    ({"f": "b"}, {2, 3}),
    ({"f": 1}, {8, 9, 10, 11}),
    ({"f": 1.0}, {8, 9, 10, 11}),
    ({"f": Int64(1)}, {8, 9, 10, 11}),
    ({"f": 2}, {11}),
    ({"f": True}, {14}),
    ({"f": "1"}, {13}),
    ({"f": ODD}, {12}),
    ({"f": OID}, {15, 17}),
    ({"f": WHEN}, {16}),
    ({"f": {"$eq": "a"}}, {1, 2}),
    ({"f": "zzz"}, set()),
    ({"g": "a"}, set()),
    ({"f.x": "a"}, {6, 7}),
    ({"f": "a", "_id": {"$in": [2, 3]}}, {2}),
    ({"f": {"$in": ["a", 1]}}, {1, 2, 8, 9, 10, 11}),
    ({"f": {"$in": [ODD, OID, 2.0]}}, {11, 12, 15, 17}),
    ({"f": {"$in": ["zzz"]}}, set()),
    ({"f": {"$in": ["a", None]}}, {1, 2, 4, 5, 18}),
]


def _nodes(plan):
    """Every node of a PostgreSQL EXPLAIN (FORMAT JSON) plan tree."""
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plan(db, flt):
    """FerretDB's `explain` of find(flt) on `things`; skips unless FerretDB on PostgreSQL."""
    answer = db.command("explain", {"find": "things", "filter": flt})
    if "ferretdbVersion" not in answer.get("serverInfo", {}):
        pytest.skip("the query plan checked here is FerretDB's; this server is not FerretDB")
    if os.environ.get("MERIDIAN_FERRETDB_BACKEND", "postgresql") != "postgresql":
        pytest.skip("the document index exists on FerretDB's PostgreSQL backend only")
    return answer


def _searches_the_document_index(plan) -> bool:
    """Whether the plan reads `things` through the GIN index and never scans the table."""
    nodes = list(_nodes(plan))
    return (not any(node.get("Node Type") == "Seq Scan" for node in nodes)
            and any(node.get("Node Type") == "Bitmap Index Scan"
                    and node.get("Index Name", "").endswith("_gin") for node in nodes))


def _psql(sql: str) -> str:
    """Run `sql` in FerretDB's PostgreSQL database; returns its unaligned output."""
    local = Path(__file__).resolve().parents[2] / "deploy" / "local"
    pg_bin = subprocess.run([local / "fetch-postgres.sh"], check=True, capture_output=True,
                            text=True).stdout.strip()
    return subprocess.run([f"{pg_bin}/psql", "-h", "127.0.0.1", "-p",
                           os.environ["MERIDIAN_POSTGRES_PORT"], "-U", "meridian", "-d",
                           "ferretdb", "-qtAX", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def _analyze_postgresql() -> None:
    """ANALYZE FerretDB's PostgreSQL database now, as autovacuum would shortly."""
    _psql("ANALYZE")


@pytest.fixture
def things(mongo_client, isolated_db_name):
    """The collection of DOCUMENTS (with and without `f`) plus 40 fillers."""
    db = mongo_client[isolated_db_name]
    docs = [{"_id": key, "f": value} for key, value in DOCUMENTS.items()]
    docs += [{"_id": key} for key in MISSING]
    docs += [{"_id": f"filler-{n}", "f": f"other-{n}", "n": n} for n in range(40)]
    db.things.insert_many(docs)
    return db


def test_field_equality_and_in_search_the_document_index(mongo_client, isolated_db_name):
    db = mongo_client[isolated_db_name]
    db.things.insert_many([{"_id": f"s-{n}", "offering_id": f"off-{n % 50}", "pad": "x" * 100}
                           for n in range(5000)])
    ten = [f"off-{n}" for n in range(10)]
    for flt in ({"offering_id": "off-7"}, {"offering_id": {"$in": ten}}):
        answer = _plan(db, flt)
        assert answer["filterPushdown"] is True, flt
        assert _searches_the_document_index(answer["queryPlanner"]["Plan"]), answer["queryPlanner"]
    assert db.things.count_documents({"offering_id": "off-7"}) == 100
    assert db.things.count_documents({"offering_id": {"$in": ["off-1", "off-2", "nope"]}}) == 200


def test_a_long_in_list_still_searches_the_document_index(mongo_client, isolated_db_name):
    """Forty OR-ed containments (a `$in` of 20 ids) are planned through the index, not a scan.

    Fails when PostgreSQL prices jsonb_contains at its default cost (run-ferretdb.sh raises it):
    the planner then prefers a sequential scan that detoasts every document once per arm.
    """
    db = mongo_client[isolated_db_name]
    db.things.insert_many([{"_id": f"s-{n}", "offering_id": f"off-{n % 500}", "pad": "x" * 800}
                           for n in range(5000)])
    twenty = [f"off-{n}" for n in range(20)]
    _plan(db, {"offering_id": "off-1"})
    _analyze_postgresql()  # with statistics, PostgreSQL knows the table is worth indexing
    answer = _plan(db, {"offering_id": {"$in": twenty}})
    assert answer["filterPushdown"] is True
    assert _searches_the_document_index(answer["queryPlanner"]["Plan"]), answer["queryPlanner"]
    assert db.things.count_documents({"offering_id": {"$in": twenty}}) == 200


@pytest.mark.parametrize(("flt", "expected"), EXPECTED, ids=[str(f) for f, _ in EXPECTED])
def test_pushed_down_equality_selects_what_mongodb_selects(things, flt, expected):
    _plan(things, flt)
    assert {doc["_id"] for doc in things.things.find(flt)} == expected
    # A top-level $and is never pushed down: FerretDB filters the whole collection in Go.
    reference = {"$and": [flt]}
    assert _plan(things, reference)["filterPushdown"] is False
    assert {doc["_id"] for doc in things.things.find(reference)} == expected


def test_the_document_index_is_not_listed_and_survives_dropping_indexes(things):
    _plan(things, {"f": "a"})
    assert list(things.things.index_information()) == ["_id_"]
    things.things.create_index("f")
    assert sorted(things.things.index_information()) == ["_id_", "f_1"]
    things.things.drop_indexes()
    assert list(things.things.index_information()) == ["_id_"]
    things.things.insert_many([{"_id": f"more-{n}", "f": "c"} for n in range(5000)])
    assert _searches_the_document_index(_plan(things, {"f": "a"})["queryPlanner"]["Plan"])
    assert {doc["_id"] for doc in things.things.find({"f": "a"})} == {1, 2}
