"""`apply_newest` on the real database: the highest version wins, whatever the arrival order."""

from meridian_common.persistence.readmodels import apply_newest


def test_newer_versions_replace_older_and_older_ones_change_nothing(mongo_client,
                                                                   isolated_db_name):
    rows = mongo_client[isolated_db_name].rows
    assert apply_newest(rows, "k", 2, {"name": "two"}) is True
    assert apply_newest(rows, "k", 1, {"name": "one"}) is False
    assert apply_newest(rows, "k", 2, {"name": "again"}) is False
    assert rows.find_one({"_id": "k"}) == {"_id": "k", "name": "two", "version": 2}
    assert apply_newest(rows, "k", 5, {"name": "five"}) is True
    assert rows.find_one({"_id": "k"})["name"] == "five"


def test_a_newer_first_insert_that_loses_the_insert_race_still_wins(mongo_client,
                                                                    isolated_db_name):
    rows = mongo_client[isolated_db_name].rows
    # What the loser of the race meets: an older row stored between its update and its insert.
    original_insert = rows.insert_one

    class Racing:
        def __getattr__(self, name):
            return getattr(rows, name)

        def insert_one(self, document):
            original_insert({"_id": document["_id"], "name": "older", "version": 1})
            return original_insert(document)

    assert apply_newest(Racing(), "k", 3, {"name": "newer"}) is True
    assert rows.find_one({"_id": "k"}) == {"_id": "k", "name": "newer", "version": 3}

