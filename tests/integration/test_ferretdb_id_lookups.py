"""The local FerretDB is built with deploy/local/ferretdb-id-index.patch: finds, updates and
deletes by `_id` search the `_id` index instead of scanning the whole SQLite table."""

import pytest


def test_a_lookup_by_id_searches_the_id_index(mongo_client, isolated_db_name):
    db = mongo_client[isolated_db_name]
    db.things.insert_many([{"_id": f"thing-{n}", "n": n} for n in range(50)])
    answer = db.command("explain", {"find": "things", "filter": {"_id": "thing-7"}})
    if "ferretdbVersion" not in answer.get("serverInfo", {}):
        pytest.skip("the query plan checked here is FerretDB's; this server is not FerretDB")
    plan = " ".join(answer["queryPlanner"]["Plan"])
    assert answer["filterPushdown"] is True
    assert "USING INDEX" in plan and "__id_" in plan, plan
    assert db.things.find_one({"_id": "thing-7"})["n"] == 7
    db.things.update_one({"_id": "thing-7"}, {"$set": {"n": 70}})
    db.things.delete_one({"_id": "thing-8"})
    assert db.things.find_one({"_id": "thing-7"})["n"] == 70
    assert db.things.find_one({"_id": "thing-8"}) is None and db.things.count_documents({}) == 49
