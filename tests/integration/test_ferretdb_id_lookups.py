"""The local FerretDB is built with deploy/local/ferretdb-id-index.patch: finds, updates and
deletes by `_id` search the `_id` index instead of scanning the whole table, on the backend the
stack runs (MERIDIAN_FERRETDB_BACKEND: PostgreSQL by default, or SQLite)."""

import os

import pytest


def _uses_the_id_index(plan, backend: str) -> bool:
    """Whether FerretDB's plan (as its `explain` returns it) searches the `_id` index."""
    if backend == "sqlite":
        # SQLite's EXPLAIN QUERY PLAN lines, e.g. "SEARCH ... USING INDEX things_..._id_ (...)".
        text = " ".join(plan)
        return "USING INDEX" in text and "__id_" in text
    # PostgreSQL's EXPLAIN (FORMAT JSON) root node; a bitmap scan names the index in a child.
    nodes = [plan, *plan.get("Plans", [])]
    return any(node.get("Node Type") in ("Index Scan", "Bitmap Index Scan")
               and "__id_" in node.get("Index Name", "") for node in nodes)


def test_a_lookup_by_id_searches_the_id_index(mongo_client, isolated_db_name):
    db = mongo_client[isolated_db_name]
    # Enough rows that an index search beats reading the table even once PostgreSQL has statistics.
    db.things.insert_many([{"_id": f"thing-{n}", "n": n, "pad": "x" * 100} for n in range(2000)])
    answer = db.command("explain", {"find": "things", "filter": {"_id": "thing-7"}})
    if "ferretdbVersion" not in answer.get("serverInfo", {}):
        pytest.skip("the query plan checked here is FerretDB's; this server is not FerretDB")
    backend = os.environ.get("MERIDIAN_FERRETDB_BACKEND", "postgresql")
    plan = answer["queryPlanner"]["Plan"]
    # The plan's shape tells the backends apart: the stack must run the one the profile names.
    assert isinstance(plan, list if backend == "sqlite" else dict), (backend, plan)
    assert answer["filterPushdown"] is True
    assert _uses_the_id_index(plan, backend), plan
    assert db.things.find_one({"_id": "thing-7"})["n"] == 7
    db.things.update_one({"_id": "thing-7"}, {"$set": {"n": 70}})
    db.things.delete_one({"_id": "thing-8"})
    assert db.things.find_one({"_id": "thing-7"})["n"] == 70
    assert db.things.find_one({"_id": "thing-8"}) is None and db.things.count_documents({}) == 1999


def test_ids_of_every_pushed_down_type_are_found_through_the_index(mongo_client, isolated_db_name):
    db = mongo_client[isolated_db_name]
    ids = ["text", 7, 2**40, 1.5, True]
    db.things.insert_many([{"_id": value, "n": n} for n, value in enumerate(ids)]
                          + [{"_id": f"filler-{n}"} for n in range(30)])
    for n, value in enumerate(ids):
        assert db.things.find_one({"_id": value}) == {"_id": value, "n": n}
        assert db.things.find_one({"_id": {"$eq": value}})["n"] == n
    # Equal numbers of other types are the same `_id` in MongoDB; a wrong type finds nothing.
    assert db.things.find_one({"_id": 7.0})["n"] == 1
    assert db.things.find_one({"_id": "7"}) is None
    oid = db.things.insert_one({"n": 99}).inserted_id
    assert db.things.find_one({"_id": oid})["n"] == 99
    assert db.things.find_one({"_id": str(oid)}) is None
