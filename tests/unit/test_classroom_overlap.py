"""Double bookings: instructors across offerings, cohorts within one offering."""

from datetime import UTC, datetime

from meridian_classroom.domain.overlap import Booking, find_conflicts, overlaps


def at(hour, minute=0, day=2):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def booking(ref, offering, start, end, *instructors):
    return Booking(ref=ref, offering_id=offering, start=start, end=end,
                   instructors=frozenset(instructors))


def test_touching_sessions_do_not_overlap():
    assert not overlaps(at(9), at(10), at(10), at(11))
    assert overlaps(at(9), at(10, 1), at(10), at(11))


def test_an_instructor_cannot_teach_two_offerings_at_once():
    existing = [booking("s1", "off-A", at(9), at(11), "ana")]
    [conflict] = find_conflicts([booking("new:0", "off-B", at(10), at(12), "ana", "bo")],
                                existing)
    assert conflict.existing.ref == "s1"
    assert conflict.reasons == ["instructor"] and conflict.instructors == ("ana",)


def test_a_cohort_cannot_sit_two_sessions_of_its_offering_at_once():
    existing = [booking("s1", "off-A", at(9), at(11), "ana")]
    [conflict] = find_conflicts([booking("new:0", "off-A", at(10), at(12), "bo")], existing)
    assert conflict.reasons == ["cohort"]


def test_other_offerings_with_other_instructors_are_free():
    existing = [booking("s1", "off-A", at(9), at(11), "ana")]
    assert find_conflicts([booking("new:0", "off-B", at(9), at(11), "bo")], existing) == []


def test_every_conflict_of_a_series_is_listed_including_both_reasons():
    existing = [booking("s1", "off-A", at(9, day=2), at(11, day=2), "ana"),
                booking("s2", "off-B", at(9, day=9), at(10, day=9), "ana"),
                booking("s3", "off-A", at(20, day=9), at(21, day=9), "cy"),
                booking("s4", "off-A", at(9, day=16), at(10, day=16), "ana")]
    proposed = [booking(f"new:{i}", "off-A", at(9, 30, day), at(10, 30, day), "ana")
                for i, day in enumerate((2, 9, 16, 23))]
    conflicts = find_conflicts(proposed, existing)
    assert [(c.proposed.ref, c.existing.ref, c.reasons) for c in conflicts] == [
        ("new:0", "s1", ["cohort", "instructor"]),
        ("new:1", "s2", ["instructor"]),
        ("new:2", "s4", ["cohort", "instructor"]),
    ]


def test_a_long_earlier_session_still_running_is_found():
    existing = [booking("long", "off-A", at(6), at(18), "ana"),
                booking("short", "off-C", at(7), at(8), "zed")]
    conflicts = find_conflicts([booking("new:0", "off-B", at(16), at(17), "ana")], existing)
    assert [c.existing.ref for c in conflicts] == ["long"]


def test_proposed_sessions_are_checked_against_each_other():
    proposed = [booking("new:0", "off-A", at(9), at(11), "ana"),
                booking("new:1", "off-B", at(10), at(12), "ana")]
    [conflict] = find_conflicts(proposed, [])
    assert (conflict.proposed.ref, conflict.existing.ref) == ("new:1", "new:0")
