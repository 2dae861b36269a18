"""Contract tests: every event type survives the CloudEvents/Kafka round trip intact."""

from datetime import UTC, date, datetime

import pytest
from marshmallow import ValidationError

from meridian_common.events.contracts import CONTRACTS, load_payload
from meridian_common.events.envelope import from_kafka, new_event, to_kafka
from meridian_common.events.topics import topic_for_type

AT = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
FACULTY = [{"user_id": "u-lead", "role": "lead"}, {"user_id": "u-ta", "role": "ta"}]
SAMPLES = {
    "InstitutionPayload": {"institution_id": "ins_1", "name": "Oxford", "country": "GB",
                           "timezone": "Europe/London", "alliances": ["med"], "version": 2},
    "CoursePayload": {"course_id": "crs_1", "code": "SURG", "title": "Surgery",
                      "provider_institution_id": "ins_1", "status": "published",
                      "languages": ["en"], "discipline": "medicine", "level": "pg",
                      "faculty": FACULTY, "version": 3},
    "OfferingPayload": {"offering_id": "off_1", "course_id": "crs_1",
                        "provider_institution_id": "ins_1", "term": "2027", "starts_on":
                        date(2027, 3, 1), "ends_on": date(2027, 3, 21),
                        "timezone": "Europe/London", "capacity": 27,
                        "enrollment_opens_at": AT, "enrollment_closes_at": AT,
                        "eligibility": {"institutions": [], "alliances": ["med"],
                                        "countries": ["CN"]},
                        "selection": "lottery", "waitlist": True, "status": "open",
                        "faculty": FACULTY, "version": 1},
    "EnrollmentPayload": {"enrollment_id": "enr_1", "offering_id": "off_1",
                          "student_id": "u-1", "institution_id": "ins_2",
                          "status": "waitlisted", "waitlist_position": 4, "reason": None,
                          "version": 1},
    "SessionPayload": {"session_id": "ses_1", "series_id": "ser_1", "offering_id": "off_1",
                       "kind": "lecture", "title": "Suturing", "start": AT, "end": AT,
                       "timezone": "Europe/London", "instructors": ["u-lead"],
                       "status": "scheduled", "sequence": 0},
    "AttendancePayload": {"session_id": "ses_1", "offering_id": "off_1", "user_id": "u-1",
                          "role": "student", "joined_at": AT, "left_at": None},
}


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_every_event_type_round_trips_through_kafka_encoding(event_type):
    payload = SAMPLES[CONTRACTS[event_type].__name__]
    record = new_event(event_type, source="/test", key="off_1", data=payload)
    message = to_kafka(record)
    assert message.key == "off_1"
    assert message.headers["ce_type"] == event_type.encode()
    assert message.headers["ce_specversion"] == b"1.0"
    assert message.headers["content-type"] == b"application/json"
    received = from_kafka(list(message.headers.items()), message.key.encode(), message.value)
    assert (received.id, received.type, received.key) == (record["id"], event_type, "off_1")
    assert load_payload(event_type, received.data) == load_payload(event_type, record["data"])
    assert topic_for_type(event_type) == ".".join(event_type.split(".")[:2])


@pytest.mark.parametrize("event_type", sorted(CONTRACTS))
def test_producers_cannot_store_a_payload_that_breaks_the_contract(event_type):
    payload = dict(SAMPLES[CONTRACTS[event_type].__name__])
    required = [n for n, f in CONTRACTS[event_type]().fields.items() if f.required]
    payload.pop(required[0])
    with pytest.raises(ValueError):
        new_event(event_type, source="/test", key="k", data=payload)


def test_consumers_ignore_fields_added_later_but_reject_wrong_values():
    data = {**SAMPLES["EnrollmentPayload"], "added_in_a_later_release": 1}
    assert "added_in_a_later_release" not in load_payload("lms.enrollment.waitlisted.v1", data)
    with pytest.raises(ValidationError):
        load_payload("lms.enrollment.waitlisted.v1", {**data, "status": "teleported"})


def test_request_id_travels_as_a_cloudevents_extension():
    from meridian_common.web.context import reset_request_id, set_request_id

    token = set_request_id("req-123")
    try:
        record = new_event("lms.enrollment.applied.v1", source="/t", key="off_1",
                           data=SAMPLES["EnrollmentPayload"])
    finally:
        reset_request_id(token)
    message = to_kafka(record)
    assert message.headers["ce_requestid"] == b"req-123"
    assert from_kafka(list(message.headers.items()), None, message.value).request_id == "req-123"


def test_enrollment_events_may_carry_the_draw_that_decided_them():
    draw = {"seed": "s", "algorithm": "sha256-rank-v1", "drawn_at": AT, "places": 4,
            "applicants": 12, "selected": False, "how_to_verify": "Sort by SHA-256."}
    record = new_event("lms.enrollment.waitlisted.v1", source="/t", key="off_1",
                       data={**SAMPLES["EnrollmentPayload"], "draw": draw})
    loaded = load_payload("lms.enrollment.waitlisted.v1", record["data"])
    assert loaded["draw"] == draw
    assert load_payload("lms.enrollment.waitlisted.v1",
                        SAMPLES["EnrollmentPayload"])["draw"] is None


def test_session_events_may_carry_uid_length_previous_time_and_reason():
    later = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
    data = {**SAMPLES["SessionPayload"], "uid": "ses_1@meridian", "duration_minutes": 60,
            "previous_start": AT, "previous_end": AT, "previous_timezone": "Europe/London",
            "start": later, "end": later, "reason": None}
    record = new_event("lms.classroom.session.rescheduled.v1", source="/t", key="off_1",
                       data=data)
    loaded = load_payload("lms.classroom.session.rescheduled.v1", record["data"])
    assert (loaded["previous_start"], loaded["start"], loaded["uid"]) == (
        AT, later, "ses_1@meridian")
    old = load_payload("lms.classroom.session.cancelled.v1", SAMPLES["SessionPayload"])
    assert old["previous_start"] is None and old["reason"] is None
