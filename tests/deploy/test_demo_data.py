"""The demo's figures, checked on the data and plan alone (no I/O): what `make up` promises."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from meridian_ops import cli
from meridian_ops.demo import alliance, catalog, courses, offerings, plan, sessions, summary

GENERAL = [f"general:{c['code']}" for c in courses.general_courses() if c["offered"]]
CHANGCHUN = [f"changchun:{code}" for code, *_ in courses.CHANGCHUN_COURSES]
LOTTERY = tuple(f"lottery:{t}" for t in courses.LOTTERY_TERMS)


def _batches() -> list[plan.Batch]:
    return plan.roster_plan(GENERAL, CHANGCHUN, LOTTERY)


def test_alliance_of_48_members_in_16_countries_and_students_from_46_universities():
    everyone = alliance.institutions()
    members = [i for i in everyone if alliance.ALLIANCE in i["alliances"]]
    senders = [i for i in everyone if i["sends_students"]]
    assert len(members) == 48 and len({i["country"] for i in members}) == 16
    assert len(senders) == 46 and len({i["country"] for i in senders}) == 26
    assert len({i["name"] for i in everyone}) == len(everyone)
    counts = alliance.student_counts(senders)
    assert sum(counts.values()) == 2000 and min(counts.values()) >= 20


def test_93_courses_with_changchuns_five_taught_by_seven_or_eight():
    total = len(courses.general_courses()) + len(courses.CHANGCHUN_COURSES) + 2
    assert total == courses.TOTAL_COURSES == 93
    titles = {title for _, title, _, _ in courses.CHANGCHUN_COURSES}
    assert titles == {"Medical Cell Biology", "Otorhinolaryngology Head and Neck Surgery",
                      "Science of Acupuncture and Moxibustion", "Science of Chinese Tuina",
                      "Traditional Chinese Medicine"}
    for code, _, _, size in courses.CHANGCHUN_COURSES:
        team = courses.faculty(courses.team_prefix(code, "Changchun"), size)
        assert 7 <= len(team) <= 8 and [m["role"] for m in team].count("lead") == 1
    surgery = courses.faculty("oxford-surg300", 9)
    assert Counter(m["role"] for m in surgery)["ta"] == 5


def test_every_student_joins_one_course_and_27_from_changchun_join_oxford():
    batches = _batches()
    assert all(0 < len(b.students) <= plan.BATCH for b in batches)
    first_come = Counter(s for b in batches if b.offering not in LOTTERY for s in b.students)
    assert len(first_come) == 2000 and set(first_come.values()) == {1}
    surgery = [s for b in batches if b.offering == "surgery" for s in b.students]
    assert len(surgery) == 27 and all(s.startswith("stu-changchun-") for s in surgery)
    partners = {i["name"] for i in alliance.institutions() if i["alliances"] == [alliance.PARTNERS]}
    for batch in batches:
        if batch.institution in partners:
            assert batch.offering.startswith(("general:", "lottery:")), batch


def test_lottery_cohorts_get_distinct_applicants_who_also_study_elsewhere():
    batches = _batches()
    cohorts = [{s for b in batches if b.offering == key for s in b.students} for key in LOTTERY]
    assert [len(c) for c in cohorts] == [40, 40] and not cohorts[0] & cohorts[1]
    enrolled = {s for b in batches if b.offering not in LOTTERY for s in b.students}
    assert cohorts[0] | cohorts[1] <= enrolled


def test_offerings_surgery_for_changchun_and_two_month_lottery_cohorts():
    catalog = {code: {"id": f"crs_{code}", "status": "published"} for code in
               [c["code"] for c in courses.general_courses()]
               + [c for c, *_ in courses.CHANGCHUN_COURSES]
               + [courses.SURGERY[0], courses.HOSPITAL[0]]}
    specs = offerings.offering_specs(catalog, "ins_changchun")
    assert set(specs) == {*GENERAL, *CHANGCHUN, "surgery", *LOTTERY}
    _, surgery = specs["surgery"]
    assert surgery["capacity"] == 27 and surgery["timezone"] == "Europe/London"
    assert surgery["eligibility"]["institutions"] == ["ins_changchun"]
    start, end = date.fromisoformat(surgery["starts_on"]), date.fromisoformat(surgery["ends_on"])
    assert start.weekday() == 0 and (end - start).days == 18
    for key in LOTTERY:
        _, cohort = specs[key]
        assert cohort["selection"] == "lottery" and cohort["capacity"] == 12
        length = date.fromisoformat(cohort["ends_on"]) - date.fromisoformat(cohort["starts_on"])
        assert length.days == 60
    seats = sum(body["capacity"] for key, (_, body) in specs.items() if key not in LOTTERY)
    assert seats >= 2000 * 0.9, "most students get a seat; the rest wait"


def test_the_surgical_course_has_lectures_seminars_and_workshops_by_all_five_tas():
    team = courses.faculty("oxford-surg300", 9)
    course = {"faculty": team}
    series = sessions.surgery_plan(course, date(2027, 3, 1))
    assert {s["kind"] for s in series} >= {"lecture", "seminar", "workshop"}
    assert sum(s["repeat"]["count"] for s in series) == 15
    assert all(s["timezone"] == "Europe/London" for s in series)
    teaching = {i for s in series for i in s["instructors"]}
    assert {m["user_id"] for m in team if m["role"] == "ta"} <= teaching
    assert sessions.member(team, "lead") == "oxford-surg300-lead"
    assert sessions.member(team, "ta-5") == "oxford-surg300-ta-5"


def test_archived_courses_run_no_offering_and_needed_ones_stop_the_loader():
    catalog = {code: {"id": f"crs_{code}", "status": "published"} for code in
               [c["code"] for c in courses.general_courses()]
               + [c for c, *_ in courses.CHANGCHUN_COURSES]
               + [courses.SURGERY[0], courses.HOSPITAL[0]]}
    catalog[GENERAL[0].split(":")[1]]["status"] = "archived"
    assert GENERAL[0] not in offerings.offering_specs(catalog, "ins_changchun")
    catalog[courses.SURGERY[0]]["status"] = "archived"
    with pytest.raises(ValueError, match="SURG300"):
        offerings.offering_specs(catalog, "ins_changchun")


def _institutions_by_name(copy: int) -> dict[str, dict]:
    return {i["name"]: {**i, "id": f"ins_{copy}_{i['tag']}"}
            for i in alliance.institutions(copy)}


def test_copy_one_is_the_alliance_as_described():
    oxford = next(i for i in alliance.institutions() if i["city"] == "Oxford")
    assert oxford["name"] == "Oxford School of Medicine" and oxford["tag"] == "oxford"
    assert alliance.admin(oxford) == "admin-oxford"
    assert alliance.students(oxford, 2) == ["stu-oxford-001", "stu-oxford-002"]


def test_every_copy_has_the_same_figures_with_its_own_institutions_people_and_courses():
    one, three = alliance.institutions(1), alliance.institutions(3)
    assert len(one) == len(three)
    assert not {i["name"] for i in one} & {i["name"] for i in three}
    assert {i["name"] for i in three} >= {"Oxford School of Medicine (3)", "University of Lima (3)"}
    assert [i["country"] for i in one] == [i["country"] for i in three]
    assert all(i["alliances"] == j["alliances"] for i, j in zip(one, three, strict=True))
    first = plan.roster_plan(GENERAL, CHANGCHUN, LOTTERY, copy=1)
    third = plan.roster_plan(GENERAL, CHANGCHUN, LOTTERY, copy=3)
    students = [{s for b in batches for s in b.students} for batches in (first, third)]
    assert len(students[1]) == len(students[0]) == 2000 and not students[0] & students[1]
    assert {b.institution for b in third} <= {i["name"] for i in three}
    surgery = [s for b in third if b.offering == "surgery" for s in b.students]
    assert len(surgery) == 27 and all(s.startswith("stu-changchun-3-") for s in surgery)
    specs = [catalog._course_specs(_institutions_by_name(n), n) for n in (1, 3)]
    assert [s["code"] for s in specs[0]] == [s["code"] for s in specs[1]]
    assert len(specs[1]) == courses.TOTAL_COURSES
    teachers = [{m["user_id"] for s in copy for m in s["faculty"]} for copy in specs]
    assert "oxford-3-surg300-lead" in teachers[1] and not teachers[0] & teachers[1]
    providers = {s["provider_institution_id"] for s in specs[1]}
    assert all(p.startswith("ins_3_") for p in providers)


def test_scale_must_be_a_positive_whole_number(capsys):
    parser = cli.build_parser()
    assert parser.parse_args(["demo", "seed", "--scale", "10"]).scale == 10
    assert parser.parse_args(["demo", "seed"]).scale == 1
    for wrong in ("0", "-2", "ten"):
        with pytest.raises(SystemExit):
            parser.parse_args(["demo", "seed", "--scale", wrong])
    assert "--scale" in capsys.readouterr().err


def test_the_closing_report_adds_every_copy_up():
    copy = {"members": 48, "member_countries": 16, "students": 2000, "universities": 46,
            "student_countries": 26, "courses": 93, "offerings": 37, "confirmed": 1983,
            "waitlisted": 17, "expected_first_come": 2000, "lottery_applications": 80,
            "surgery_students": 27, "surgery_tas": 5, "surgery_sessions": 15, "sessions": 75,
            "changchun_faculty": [7, 8], "lottery_selected": 12, "lottery_applicants": 40,
            "lottery_seed": "s"}
    alone = summary.report({**copy, "scale": 1, "totals": summary.totals([copy])}, 1, "gw")
    assert "all copies" not in alone
    ten = summary.report({**copy, "scale": 10, "totals": summary.totals([copy] * 10)}, 1, "gw")
    assert "all copies: 480 members, 930 courses, 370 offerings, 20000 students" in ten
    assert "19830 confirmed and 170 waitlisted" in ten
