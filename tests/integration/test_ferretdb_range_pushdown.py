"""On PostgreSQL the local FerretDB (deploy/local/ferretdb-id-index.patch) pushes `$lt`, `$lte`,
`$gt` and `$gte` on top-level fields with a date or integer bound down to PostgreSQL (ADR 0008):
the rows it selects are what MongoDB selects (arrays by their elements, no cross-type matches,
no missing fields), and a btree index on the field serves the range."""

import datetime

import pytest
from bson import Int64

from tests.integration.test_ferretdb_equality_index import (
    _analyze_postgresql,
    _nodes,
    _plan,
    _psql,
)

DAY = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
EARLY, LATE = DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)

# id -> value of `f` (ids 30 and 31 have no `f`).
DOCUMENTS = {
    1: EARLY, 2: DAY, 3: LATE, 4: [EARLY, LATE], 5: [LATE], 6: [],
    8: 1, 9: 2.5, 10: Int64(3), 11: [1, 7], 12: [9], 13: -4, 14: 1.0,
    15: "2026", 16: None, 17: True, 18: {"d": EARLY}, 19: [{"d": EARLY}], 20: ["a", EARLY],
}
MISSING = (30, 31)

# filter -> the ids MongoDB returns for it.
EXPECTED = [
    ({"f": {"$lt": DAY}}, {1, 4, 20}),
    ({"f": {"$lte": DAY}}, {1, 2, 4, 20}),
    ({"f": {"$gt": DAY}}, {3, 4, 5}),
    ({"f": {"$gte": DAY}}, {2, 3, 4, 5}),
    ({"f": {"$gte": EARLY, "$lt": LATE}}, {1, 2, 4, 20}),
    ({"f": {"$lt": 2}}, {8, 11, 13, 14}),
    ({"f": {"$lte": Int64(1)}}, {8, 11, 13, 14}),
    ({"f": {"$gt": 2}}, {9, 10, 11, 12}),
    ({"f": {"$gte": 3, "$lt": 8}}, {10, 11}),
    ({"f": {"$gt": 100}}, set()),
    ({"g": {"$lt": DAY}}, set()),
    ({"f": {"$lt": LATE}, "kind": "x"}, {1, 2, 4}),
]


@pytest.fixture
def things(mongo_client, isolated_db_name):
    """The collection of DOCUMENTS (with and without `f`), some of kind "x", and 40 fillers."""
    db = mongo_client[isolated_db_name]
    docs = [{"_id": key, "f": value, "kind": "x" if key < 5 else "y"}
            for key, value in DOCUMENTS.items()]
    docs += [{"_id": key} for key in MISSING]
    docs += [{"_id": f"filler-{n}", "f": f"other-{n}"} for n in range(40)]
    db.things.insert_many(docs)
    return db


@pytest.mark.parametrize(("flt", "expected"), EXPECTED, ids=[str(f) for f, _ in EXPECTED])
def test_pushed_down_ranges_select_what_mongodb_selects(things, flt, expected):
    answer = _plan(things, flt)
    if "g" not in flt:
        assert answer["filterPushdown"] is True
    assert {doc["_id"] for doc in things.things.find(flt)} == expected
    # A top-level $and is never pushed down: FerretDB filters the whole collection in Go.
    reference = {"$and": [flt]}
    assert {doc["_id"] for doc in things.things.find(reference)} == expected


def test_a_range_on_an_indexed_date_is_served_by_its_btree_index(mongo_client,
                                                                  isolated_db_name):
    db = mongo_client[isolated_db_name]
    db.things.insert_many([{"_id": n, "state": "scheduled", "pad": "x" * 500,
                            "due_at": LATE + datetime.timedelta(minutes=n)}
                           for n in range(5000)])
    db.things.create_index("due_at")
    _plan(db, {"due_at": {"$lte": DAY}})
    _analyze_postgresql()
    flt = {"state": "scheduled", "due_at": {"$lte": LATE + datetime.timedelta(minutes=9)}}
    nodes = list(_nodes(_plan(db, flt)["queryPlanner"]["Plan"]))
    assert not [node for node in nodes if node.get("Node Type") == "Seq Scan"], nodes
    assert [node for node in nodes if node.get("Index Name", "").startswith("things_due_at")
            or "due_at" in node.get("Index Name", "")], nodes
    assert db.things.count_documents(flt) == 10


def test_the_second_range_of_lt_selects_exactly_the_non_empty_arrays(things):
    """jsonb's order, which the patch relies on: `[]` sorts before scalars, non-empty arrays
    after every scalar and before every object; an arm selecting more would make `$lt` read
    (and FerretDB decode) every scalar row."""
    _plan(things, {"f": {"$lt": DAY}})
    values = ["[]", "[null]", "[1]", "[1, 2]", '["x"]', "[{}]", "{}", '{"a": 1}', "5",
              "1802689200000", "true", '"s"', "null"]
    rows = ", ".join(f"('{value}'::jsonb)" for value in values)
    selected = _psql(f"SELECT v::text FROM (VALUES {rows}) t(v) "
                     "WHERE v >= '[null]'::jsonb AND v < '{}'::jsonb")
    assert selected.split("\n") == ["[null]", "[1]", "[1, 2]", '["x"]', "[{}]"]
