"""Catalog events on the real Kafka: headers, keys, outage survival, and seat counts."""

import pytest
from kafka import KafkaProducer

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, to_kafka
from tests.e2e import catalog_factories as make
from tests.support import TopicReader, env, header, supervisorctl, unique, wait_for


@pytest.fixture
def catalog_topic():
    reader = TopicReader("lms.catalog")
    yield reader
    reader.close()


def _of(messages, key: str) -> list:
    return [m for m in messages if m.key == key.encode()]


def test_a_course_change_is_read_back_from_kafka_with_ce_headers(admin, catalog_topic):
    provider = make.institution(admin)
    course = make.course(admin, provider["id"])
    admin.patch(f"/api/v1/courses/{course['id']}", json={"title": "Renamed"},
                headers={"X-Request-ID": "req-catalog-e2e-1"})
    offering = make.offering(admin, course["id"])
    messages = catalog_topic.wait_until(
        # Events of different aggregates have no order between them (other keys, other
        # partitions, other outbox documents): wait for each one named below.
        lambda seen: len(_of(seen, course["id"])) >= 2 and _of(seen, offering["id"])
        and _of(seen, provider["id"]))
    published, updated = _of(messages, course["id"])[:2]
    assert header(published, "ce_type") == "lms.catalog.course.published.v1"
    assert header(updated, "ce_type") == "lms.catalog.course.updated.v1"
    assert header(updated, "ce_specversion") == "1.0"
    assert header(updated, "ce_source") == "/meridian/catalog"
    assert header(updated, "ce_requestid") == "req-catalog-e2e-1"
    assert header(updated, "content-type") == "application/json"
    assert b'"title": "Renamed"' in updated.value
    opened = _of(messages, offering["id"])[0]
    assert header(opened, "ce_type") == "lms.catalog.offering.opened.v1"
    assert header(_of(messages, provider["id"])[0], "ce_type") == \
        "lms.catalog.institution.created.v1"


def test_events_created_while_kafka_is_down_arrive_once_after_it_returns(admin, catalog_topic):
    provider = make.institution(admin)
    supervisorctl("stop", "kafka")
    try:
        course = make.course(admin, provider["id"])
        renamed = admin.patch(f"/api/v1/courses/{course['id']}", json={"title": "During outage"})
        assert renamed.status_code == 200, "writes must be accepted while Kafka is down"
    finally:
        assert "started" in supervisorctl("start", "kafka")
    messages = catalog_topic.wait_until(lambda seen: len(_of(seen, course["id"])) >= 2,
                                        timeout=120)
    ids = [header(m, "ce_id") for m in _of(messages, course["id"])]
    types = [header(m, "ce_type") for m in _of(messages, course["id"])]
    assert types == ["lms.catalog.course.published.v1", "lms.catalog.course.updated.v1"]
    assert len(ids) == len(set(ids)) == 2


def test_seat_counts_follow_enrollment_events(admin, anonymous, mongo_client):
    provider = make.institution(admin)
    course = make.course(admin, provider["id"])
    offering = make.offering(admin, course["id"], capacity=2)
    producer = KafkaProducer(bootstrap_servers=env("KAFKA_BOOTSTRAP"))

    def publish(enrollment_id, status, version):
        record = new_event(f"lms.enrollment.{status}.v1", source="/test", key=offering["id"],
                           data={"enrollment_id": enrollment_id, "offering_id": offering["id"],
                                 "student_id": unique("u-"), "status": status,
                                 "waitlist_position": None, "version": version})
        message = to_kafka(record)
        producer.send("lms.enrollment", key=message.key.encode(), value=message.value,
                      headers=list(message.headers.items())).get(timeout=10)

    def seats():
        body = anonymous.get(f"/api/v1/offerings/{offering['id']}").json()
        return body["seats_taken"], body["seats_available"], body["waitlist_length"]

    # Fresh enrollment ids: the read model is keyed by them and outlives one run of the suite.
    enr_a, enr_b, enr_c = unique("enr_a-"), unique("enr_b-"), unique("enr_c-")
    try:
        publish(enr_a, "confirmed", 1)
        publish(enr_b, "confirmed", 1)
        publish(enr_c, "waitlisted", 1)
        wait_for(lambda: seats() == (2, 0, 1), message="counts after three enrollments")
        publish(enr_a, "withdrawn", 2)
        publish(enr_c, "confirmed", 2)
        publish(enr_a, "confirmed", 1)
        wait_for(lambda: seats() == (2, 0, 0), message="counts after withdraw and promotion")
        # The figures are the catalog worker's tally, recounted after each batch of events.
        tally = mongo_client[load_settings("catalog").mongo_db]["seat_tallies"].find_one(
            {"_id": offering["id"]})
        assert tally is not None and (tally["confirmed"], tally["withdrawn"]) == (2, 1)
        lowered = admin.patch(f"/api/v1/offerings/{offering['id']}", json={"capacity": 1})
        assert lowered.status_code == 409
    finally:
        producer.close()
