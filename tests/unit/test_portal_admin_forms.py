"""Admin forms: CSV rows for bulk enrollment, offering and course bodies."""

from meridian_portal.admin_forms import course_body, csv_rows, local_to_utc, offering_body
from werkzeug.datastructures import MultiDict


def test_csv_rows_skip_the_header_and_refuse_bad_lines():
    data = b"student_id\nstu-1\n\nbad id!\nstu-2\nstu-1\n"
    good, bad = csv_rows(data)
    assert good == [(2, "stu-1"), (5, "stu-2")]
    assert bad == [(4, "bad id!", "invalid_id"), (6, "stu-1", "duplicate")]


def test_csv_with_a_byte_order_mark_and_more_columns():
    good, bad = csv_rows("\ufeffstu-9,Wang Wei\n".encode())
    assert good == [(1, "stu-9")] and bad == []


def test_window_entered_in_the_offering_zone_is_sent_in_utc():
    assert local_to_utc("2027-03-01T09:00", "Asia/Shanghai") == "2027-03-01T01:00:00Z"
    assert local_to_utc("soon", "Asia/Shanghai") == "soon"


def test_offering_body_with_eligibility_pickers():
    form = MultiDict([("term", "T1"), ("starts_on", "2027-03-01"), ("ends_on", "2027-03-21"),
                      ("timezone", "Europe/London"), ("capacity", "27"),
                      ("enrollment_opens_at", "2027-01-01T09:00"),
                      ("enrollment_closes_at", "2027-02-01T09:00"),
                      ("alliances", "med"), ("countries", "CN"), ("countries", "GB"),
                      ("selection", "lottery"), ("waitlist", "on")])
    body = offering_body(form)
    assert body["eligibility"] == {"institutions": [], "alliances": ["med"],
                                   "countries": ["CN", "GB"]}
    assert body["capacity"] == 27 and body["selection"] == "lottery" and body["waitlist"]
    assert body["enrollment_opens_at"] == "2027-01-01T09:00:00Z"
    assert offering_body(MultiDict({"capacity": "x"}))["eligibility"] is None


def test_course_body_reads_faculty_lines():
    body = course_body({"code": "S1", "title": "T", "faculty": "ox-lead:lead\nox-ta\n",
                        "languages": "en, zh-Hans", "credits": "5"}, "inst-1")
    assert body["faculty"] == [{"user_id": "ox-lead", "role": "lead"},
                               {"user_id": "ox-ta", "role": "instructor"}]
    assert body["languages"] == ["en", "zh-Hans"] and body["credits"] == 5


def test_attendance_csv_has_one_line_per_attendee():
    from meridian_portal.views.teach import attendance_csv

    text = attendance_csv([{"user_id": "stu-1", "role": "student", "joins": 2,
                            "first_joined_at": "2027-03-22T08:01:00Z", "last_left_at": None,
                            "duration_seconds": None}])
    assert text.splitlines() == [
        "user_id,role,joins,first_joined_at,last_left_at,duration_seconds",
        "stu-1,student,2,2027-03-22T08:01:00Z,,"]
