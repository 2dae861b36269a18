"""Delivery faults on the real stack: duplicate events, a worker restart and an SMTP outage
each end with every mail in Mailpit exactly once; lottery results carry seed and re-run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from kafka import KafkaProducer

from tests.conftest import Client
from tests.e2e.mailbox import text_of
from tests.e2e.notifications_world import call, course_and_offering, enroll, person
from tests.support import TopicReader, env, make_token, supervisorctl, wait_for

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def world(gateway_url):
    http = requests.Session()
    admin = Client(http, gateway_url, make_token("platform-admin", ["admin"]))
    lead = person(http, gateway_url, "lead", ["instructor"], "en", "Europe/London")
    course, offering = course_and_offering(admin, lead.sub, capacity=50)
    return {"http": http, "gateway": gateway_url, "admin": admin, "lead": lead,
            "course": course, "offering": offering}


def newcomer(world, label: str, locale: str = "en"):
    return person(world["http"], world["gateway"], label, ["student"], locale, "Europe/Paris")


def test_a_redelivered_event_and_a_worker_restart_send_nothing_twice(world):
    offering_id = world["offering"]["id"]
    first = newcomer(world, "dup")
    enrollment = enroll(first, offering_id)
    first.mailbox.wait_for_kind("enrollment_confirmed")
    reader = TopicReader("lms.enrollment")
    try:
        (original,) = [m for m in reader.wait_until(lambda ms: any(
            m.value and enrollment["id"].encode() in m.value for m in ms), timeout=60)
            if enrollment["id"].encode() in m.value]
    finally:
        reader.close()
    producer = KafkaProducer(bootstrap_servers=env("KAFKA_BOOTSTRAP"))
    producer.send(original.topic, key=original.key, value=original.value,
                  headers=list(original.headers)).get(timeout=30)
    producer.close()
    assert "notifications-worker: stopped" in supervisorctl("stop", "notifications-worker")
    assert "notifications-worker: started" in supervisorctl("start", "notifications-worker")
    # A later event's mail arriving proves the worker handled everything before it.
    marker = newcomer(world, "after")
    enroll(marker, offering_id)
    marker.mailbox.wait_for_kind("enrollment_confirmed")
    assert len(first.mailbox.with_kind("enrollment_confirmed")) == 1


def test_an_smtp_outage_delays_mail_and_loses_or_repeats_none(world):
    offering_id = world["offering"]["id"]
    assert "mailpit: stopped" in supervisorctl("stop", "mailpit")
    try:
        waiting = [newcomer(world, f"outage{n}", "zh-Hans" if n % 2 else "en")
                   for n in range(3)]
        for student in waiting:
            enroll(student, offering_id)
        notifications = Client(world["http"], env("NOTIFICATIONS_URL"),
                               waiting[0].client.token)
        # The portal notice exists, so the e-mail beside it was planned while the server was down.
        wait_for(lambda: notifications.get("/api/v1/me/notifications").json()["total"] >= 1,
                 timeout=120, message="the notice to be planned during the outage")
    finally:
        assert "mailpit: started" in supervisorctl("start", "mailpit")
    for student in waiting:
        student.mailbox.wait_for_kind("enrollment_confirmed", timeout=180)
    marker = newcomer(world, "afteroutage")
    enroll(marker, offering_id)
    marker.mailbox.wait_for_kind("enrollment_confirmed", timeout=180)
    for student in waiting:
        assert len(student.mailbox.with_kind("enrollment_confirmed")) == 1


def test_lottery_results_tell_each_applicant_the_seed_and_how_to_re_run_it(world):
    admin, lead = world["admin"], world["lead"]
    closes = datetime.now(UTC) + timedelta(seconds=20)
    _course, offering = course_and_offering(admin, lead.sub, capacity=1, selection="lottery",
                                            enrollment_closes_at=closes.isoformat())
    applicants = [newcomer(world, "draw-a"), newcomer(world, "draw-b", "zh-Hans")]
    for applicant in applicants:
        assert enroll(applicant, offering["id"])["status"] == "applied"
    wait_for(lambda: datetime.now(UTC) > closes, timeout=60, message="the window to close")
    drawn = call(admin, "POST", f"/api/v1/offerings/{offering['id']}/draw", (200, 201),
                 json={"seed": "open-and-fair"})
    assert len(drawn["selected"]) == 1
    said = {"en": ("you were selected: you are enrolled", "you were not selected"),
            "zh-Hans": ("您已被抽中并成功注册", "您这次未被抽中")}
    for applicant, locale in zip(applicants, ("en", "zh-Hans"), strict=True):
        (mail,) = applicant.mailbox.wait_for_kind("lottery_result")
        text = text_of(mail)
        assert "open-and-fair" in text
        assert 'SHA-256 of the UTF-8 string "open-and-fair:<id>"' in text
        chosen, passed_over = said[locale]
        assert (chosen if applicant.sub in drawn["selected"] else passed_over) in text
