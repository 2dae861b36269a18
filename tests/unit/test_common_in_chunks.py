"""Lists split into `$in`s that FerretDB pushes down, every value once and in order."""

from meridian_common.persistence.server import IN_VALUES_PER_QUERY, find_in, in_chunks


def test_values_are_split_into_lists_no_longer_than_one_pushed_down_in():
    values = list(range(2 * IN_VALUES_PER_QUERY + 3))
    chunks = list(in_chunks(values))
    assert [len(c) for c in chunks] == [IN_VALUES_PER_QUERY, IN_VALUES_PER_QUERY, 3]
    assert [v for c in chunks for v in c] == values


def test_no_values_make_no_query():
    assert list(in_chunks([])) == []


class RecordingCollection:
    """Answers `find` from a list of documents, noting each filter it was given."""

    def __init__(self, documents):
        self.documents = documents
        self.filters = []

    def find(self, query, projection=None):
        self.filters.append(query)
        wanted = query["user_id"]["$in"]
        return [d for d in self.documents if d["user_id"] in wanted and d["kind"] == query["kind"]]


def test_find_in_asks_in_pushed_down_chunks_and_keeps_the_rest_of_the_filter():
    documents = [{"user_id": n, "kind": "a" if n % 2 else "b"} for n in range(50)]
    collection = RecordingCollection(documents)
    found = list(find_in(collection, "user_id", [*range(45), 3, 7], query={"kind": "a"}))
    assert sorted(d["user_id"] for d in found) == [n for n in range(45) if n % 2]
    assert [len(f["user_id"]["$in"]) for f in collection.filters] == [
        IN_VALUES_PER_QUERY, IN_VALUES_PER_QUERY, 5]
    assert all(f["kind"] == "a" for f in collection.filters)


def test_find_in_without_values_sends_no_query():
    collection = RecordingCollection([])
    assert list(find_in(collection, "user_id", [])) == []
    assert collection.filters == []
