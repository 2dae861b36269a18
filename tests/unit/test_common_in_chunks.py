"""Lists split into `$in`s that FerretDB pushes down, every value once and in order."""

from meridian_common.persistence.server import IN_VALUES_PER_QUERY, in_chunks


def test_values_are_split_into_lists_no_longer_than_one_pushed_down_in():
    values = list(range(2 * IN_VALUES_PER_QUERY + 3))
    chunks = list(in_chunks(values))
    assert [len(c) for c in chunks] == [IN_VALUES_PER_QUERY, IN_VALUES_PER_QUERY, 3]
    assert [v for c in chunks for v in c] == values


def test_no_values_make_no_query():
    assert list(in_chunks([])) == []
