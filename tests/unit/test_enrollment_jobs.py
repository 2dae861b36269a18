"""Bulk enrollment jobs on in-memory fakes: batches follow single-enrollment rules, a crash
resumes on its own claims, and only the asker (or an admin) reads the job."""

from __future__ import annotations

from dataclasses import replace

import pytest

from meridian_enrollment.application import jobs
from meridian_enrollment.application.batch import enroll_batch, enrollment_id_for
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.domain.jobs import BATCH_SIZE, DONE, QUEUED, RUNNING, batches, status_of
from meridian_enrollment.domain.refusals import NOT_FOUND, UNPROCESSABLE, Refusal
from tests.unit.enrollment_fakes import an_offering, fake_ports

ADMIN = frozenset({"institution_admin"})


def test_a_batch_seats_in_order_then_waitlists_and_refuses_holders():
    ports = fake_ports()
    offering = an_offering(ports, capacity=3)
    enroll(ports, offering, "held", None, "held")
    outcomes = enroll_batch(ports, offering, "job_1", ["a", "held", "b", "c", "d"], None, "adm")
    assert outcomes["held"].code == "already_enrolled"
    assert [outcomes[s][0].status for s in "abc"] == ["confirmed", "confirmed", "waitlisted"]
    assert outcomes["d"][0].status == "waitlisted" and outcomes["d"][1] == 2
    assert len(ports.seats.seats) == 3, "never more seats than capacity"
    assert ports.places.batch_calls == 1, "one round trip claims every place of the batch"


def test_a_lottery_batch_applies_everyone_without_seats():
    ports = fake_ports()
    offering = an_offering(ports, selection="lottery", capacity=1)
    outcomes = enroll_batch(ports, offering, "job_1", ["a", "b"], None, "adm")
    assert {o[0].status for o in outcomes.values()} == {"applied"} and not ports.seats.seats


def test_a_full_offering_without_waitlist_refuses_the_rest_and_frees_their_places():
    ports = fake_ports()
    offering = an_offering(ports, capacity=1, waitlist=False)
    outcomes = enroll_batch(ports, offering, "job_1", ["a", "b"], None, "adm")
    assert outcomes["a"][0].status == "confirmed" and outcomes["b"].code == "offering_full"
    assert ports.places.holder(offering.id, "b") is None


def test_a_batch_run_again_after_a_crash_resumes_on_its_own_claims():
    ports = fake_ports()
    offering = an_offering(ports, capacity=5)
    first = enroll_batch(ports, offering, "job_1", ["a", "b"], None, "adm")
    again = enroll_batch(ports, offering, "job_1", ["a", "b", "c"], None, "adm")
    assert again["a"][0].id == first["a"][0].id == enrollment_id_for("job_1", "a")
    assert again["c"][0].status == "confirmed" and len(ports.seats.seats) == 3
    other = enroll_batch(ports, offering, "job_2", ["a"], None, "adm")
    assert other["a"].code == "already_enrolled", "another job is refused as usual"


def test_a_job_is_stored_at_once_and_the_worker_fills_it_batch_by_batch():
    ports = fake_ports()
    offering = an_offering(ports, capacity=1000)
    students = [f"s{i:04d}" for i in range(BATCH_SIZE * 2 + 5)]
    job = jobs.submit(ports, offering.id, students, "ins_a", "u-adm")
    assert jobs.view(ports, job.id, "u-adm", ADMIN).status == QUEUED
    assert jobs.run_pending(ports, "worker-1") == len(students)
    seen = jobs.view(ports, job.id, "u-adm", ADMIN)
    assert seen.status == DONE and [r["student_id"] for r in seen.rows] == students
    assert {r["enrollment"]["status"] for r in seen.rows} == {"confirmed"}
    assert seen.rows[0]["enrollment"]["id"] == enrollment_id_for(job.id, students[0])
    assert len(ports.jobs.batches[job.id]) == 3
    assert jobs.run_pending(ports, "worker-1") == 0, "a finished job is not run again"


def test_only_the_asker_and_platform_admins_read_a_job():
    ports = fake_ports()
    offering = an_offering(ports)
    job = jobs.submit(ports, offering.id, ["a"], None, "u-adm")
    assert jobs.view(ports, job.id, "u-boss", frozenset({"admin"})).job.id == job.id
    with pytest.raises(Refusal) as refused:
        jobs.view(ports, job.id, "u-other", ADMIN)
    assert refused.value.kind == NOT_FOUND
    with pytest.raises(Refusal):
        jobs.view(ports, "job_missing", "u-adm", ADMIN)


def test_whole_call_refusals_answer_the_submit_and_nothing_is_stored():
    ports = fake_ports()
    offering = an_offering(ports, status="cancelled")
    with pytest.raises(Refusal) as refused:
        jobs.submit(ports, offering.id, ["a"], None, "u-adm")
    assert refused.value.kind == UNPROCESSABLE and ports.jobs.jobs == {}
    with pytest.raises(Refusal):
        jobs.submit(ports, "off_missing", ["a"], None, "u-adm")


def test_a_window_closing_while_the_job_waits_refuses_every_row():
    ports = fake_ports()
    offering = an_offering(ports)
    job = jobs.submit(ports, offering.id, ["a", "b"], None, "u-adm")
    ports.offerings.rows[offering.id] = an_offering(ports, status="cancelled")
    jobs.run_pending(ports, "w")
    rows = jobs.view(ports, job.id, "u-adm", ADMIN).rows
    assert [r["code"] for r in rows] == ["offering_not_open"] * 2


def test_another_worker_s_lease_keeps_a_job_from_running_twice():
    ports = fake_ports()
    offering = an_offering(ports)
    job = jobs.submit(ports, offering.id, ["a"], None, "u-adm")
    assert ports.jobs.lease(job.id, "w-1", ports.clock.now(), 60)
    assert jobs.run_job(ports, job, "w-2") == 0 and ports.jobs.rows(job.id) == {}


def test_status_follows_the_rows_and_is_done_only_once_finished():
    ports = fake_ports()
    job = jobs.submit(ports, an_offering(ports).id, ["a", "b"], None, "u")
    assert [status_of(job, n) for n in (0, 1, 2)] == [QUEUED, RUNNING, RUNNING]
    finished = replace(job, finished_at=ports.clock.now())
    assert status_of(finished, 2) == DONE


def test_a_job_whose_worker_died_after_its_last_batch_is_finished_by_the_next():
    ports = fake_ports()
    offering = an_offering(ports)
    job = jobs.submit(ports, offering.id, ["a", "b"], None, "u-adm")
    for n, students in batches(job):
        ports.jobs.record_batch(job.id, n, [{"student_id": s} for s in students],
                                ports.clock.now())
    assert status_of(ports.jobs.get(job.id), 2) == RUNNING, "not done without finished_at"
    assert jobs.run_job(ports, ports.jobs.get(job.id), "w-2") == 0, "no batch runs twice"
    assert ports.jobs.get(job.id).finished_at is not None
    assert status_of(ports.jobs.get(job.id), 2) == DONE
