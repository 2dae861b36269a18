"""The delivery pipeline's stores on the real FerretDB and its mailer on the real Mailpit:
keys stored once, claims never shared, digest items left to the digest job, jobs dropped."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from meridian_common.config import load_settings
from meridian_common.persistence import db
from meridian_notifications.adapters.config import load_notifications_config
from meridian_notifications.adapters.delivery_store import BatchedNotifications, BatchedReminders
from meridian_notifications.adapters.documents import ALL_DOCUMENTS
from meridian_notifications.adapters.readmodels import MongoDirectory
from meridian_notifications.adapters.smtp import SmtpMailer
from meridian_notifications.application.delivery_ports import SENT_OK, UNAVAILABLE, SessionFacts
from meridian_notifications.domain.notification import new_notification
from meridian_notifications.domain.reminder import plan_reminders
from tests.e2e.mailbox import Mailbox
from tests.support import wait_for

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def database(isolated_db_name):
    settings = load_settings("notifications", {"mongo_db": isolated_db_name})
    connected = db.connect(settings)
    db.ensure_indexes(*ALL_DOCUMENTS)
    yield connected


def mail(event_id: str, recipient: str, **data) -> object:
    return new_notification(event_id=event_id, recipient=recipient, channel="email",
                            kind="session_cancelled", subject="s", body_text="t", now=NOW,
                            to_address=f"{recipient}@x.example", data=data)


def test_a_fan_out_is_stored_once_however_often_it_is_planned(database):
    store = BatchedNotifications()
    batch = [mail("evt-1", f"stu-{n}") for n in range(300)]
    assert store.insert_many_if_absent(batch) == 300
    assert store.insert_many_if_absent([*batch, mail("evt-2", "stu-0")]) == 1
    assert database.notifications.count_documents({}) == 301


def test_two_senders_never_claim_the_same_mail_and_digest_items_are_left_alone(database):
    planner = BatchedNotifications()
    planner.insert_many_if_absent([mail("evt", f"stu-{n}") for n in range(200)])
    planner.insert_many_if_absent([mail("evt", "held", digest=True)])
    senders = [BatchedNotifications(owner=f"worker-{n}") for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        claimed = list(pool.map(lambda s: s.claim_batch(NOW + timedelta(seconds=1), 500),
                                senders))
    keys = [n.key for batch in claimed for n in batch]
    assert len(keys) == len(set(keys)) == 200
    assert "held" not in {n.recipient for batch in claimed for n in batch}
    assert [n.recipient for n in planner.digest_items(NOW + timedelta(seconds=1), 10)] == \
        ["held"]


def test_released_claims_are_claimable_again_and_outcomes_are_stored(database):
    sender = BatchedNotifications(owner="worker")
    sender.insert_many_if_absent([mail("evt2", f"stu-{n}") for n in range(10)])
    claimed = sender.claim_batch(NOW + timedelta(seconds=1), 50)
    assert len(claimed) == 10
    released, delivered, given_up = claimed[:3], claimed[3:9], claimed[9]
    sender.release(released)
    failed = given_up.failed("550 no such user", NOW, permanent=True)
    sender.mark_many([n.delivered(NOW) for n in delivered] + [failed])
    again = sender.claim_batch(NOW + timedelta(seconds=1), 50)
    assert {n.key for n in again} == {n.key for n in released}
    assert database.notifications.count_documents(
        {"_id": {"$in": [n.key for n in delivered]}, "state": "sent", "attempts": 1}) == 6
    stored = sender.get(failed.key)
    assert (stored.state, stored.last_error) == ("permanently_failed", "550 no such user")
    assert [n.key for n in sender.failures(0, 10)[0]] == [failed.key]


def test_a_moved_sessions_jobs_are_dropped_but_the_new_ones_kept(database):
    jobs = BatchedReminders()
    old, new = NOW + timedelta(days=2), NOW + timedelta(days=3)
    for start in (old, new):
        jobs.add(plan_reminders(session_id="ses", offering_id="off", recipient="stu",
                                session_start=start, offsets=(1440, 60), now=NOW))
    assert jobs.drop_session("ses", NOW, keep_start=new) == 2
    assert {r.session_start for r in jobs.of_session("ses")} == {new}
    assert jobs.drop_recipient("off", "stu", NOW) == 2 and jobs.of_session("ses") == []


def test_read_models_keep_the_newest_session_and_roster_state(database):
    directory = MongoDirectory()
    facts = SessionFacts(session_id="ses", offering_id="off", title="T", kind="lecture",
                         start=NOW, end=NOW + timedelta(hours=1), timezone="Europe/London",
                         sequence=2, status="scheduled", uid="ses@meridian")
    assert directory.record_session(facts)
    assert not directory.record_session(SessionFacts(**{**facts.__dict__, "sequence": 1}))
    assert directory.session("ses").sequence == 2
    assert directory.record_enrollment("off", "stu", 2, "withdrawn")
    assert not directory.record_enrollment("off", "stu", 1, "confirmed")
    assert directory.students("off", ("confirmed",)) == []


def test_the_smtp_mailer_sends_a_batch_over_one_connection_to_mailpit():
    config = load_notifications_config(load_settings("notifications"))
    tag = uuid.uuid4().hex[:10]
    messages = []
    for n in range(5):
        message = EmailMessage()
        message["From"], message["To"] = config.mail_from, f"batch{n}-{tag}@mail.meridian.test"
        message["Subject"] = f"batch {tag}"
        message.set_content("hello")
        messages.append(message)
    assert [o.status for o in SmtpMailer(config).send_many(messages)] == [SENT_OK] * 5
    for n in range(5):
        wait_for(lambda n=n: Mailbox(f"batch{n}-{tag}@mail.meridian.test").summaries(),
                 timeout=60, message="the batch in Mailpit")
    nowhere = load_notifications_config(load_settings("notifications", {"smtp_port": 9}))
    assert SmtpMailer(nowhere).send_many(messages[:2])[0].status == UNAVAILABLE


def test_a_claim_left_by_a_failed_round_is_taken_back_by_its_owner_but_not_by_others(database):
    sender = BatchedNotifications(owner="worker")
    sender.insert_many_if_absent([mail("evt3", f"stu-{n}") for n in range(3)])
    # A round inserted its claims, then timed out before it knew: nothing sends them.
    orphan = sender.get(mail("evt3", "stu-0").key)
    database.notification_claims.insert_one({"_id": f"{orphan.key}#0#0", "owner": "worker",
                                             "notification": orphan.key, "claimed_at": NOW})
    other = BatchedNotifications(owner="other")
    assert {n.recipient for n in other.claim_batch(NOW + timedelta(seconds=1), 10)} == \
        {"stu-1", "stu-2"}
    assert [n.recipient for n in sender.claim_batch(NOW + timedelta(seconds=1), 10)] == \
        ["stu-0"]
    assert sender.claim_batch(NOW + timedelta(seconds=1), 10) == []  # now in flight here
