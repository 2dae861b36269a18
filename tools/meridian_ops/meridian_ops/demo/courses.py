"""The demo catalog: 93 English-taught courses and the offerings that students join.

Among them: five courses a Changchun member adds (each taught by 7-8 faculty), a three-week
online surgical course taught from Oxford to 27 Changchun students with 5 teaching assistants,
and a hospital training programme whose two-month cohorts are selected by lottery.
"""

from __future__ import annotations

TOTAL_COURSES = 93
TERM = "2027-spring"
SURGERY_TERM = "2027-surgery-cohort"
LOTTERY_TERMS = ("2027-cohort-1", "2027-cohort-2")

CHANGCHUN_COURSES = [
    ("MCB101", "Medical Cell Biology", "biomedical science", 7),
    ("ORL210", "Otorhinolaryngology Head and Neck Surgery", "surgery", 8),
    ("TCM220", "Science of Acupuncture and Moxibustion", "traditional chinese medicine", 8),
    ("TCM230", "Science of Chinese Tuina", "traditional chinese medicine", 7),
    ("TCM100", "Traditional Chinese Medicine", "traditional chinese medicine", 8),
]
SURGERY = ("SURG300", "Three-Week Online Surgical Skills Course", "surgery", "postgraduate")
HOSPITAL = ("HTP200", "Hospital Training Programme", "clinical training", "professional")

_TOPICS = [
    ("Clinical Anatomy", "anatomy"), ("Global Surgery", "surgery"), ("Medical Ethics", "ethics"),
    ("Epidemiology", "public health"), ("Pharmacology", "pharmacology"),
    ("Emergency Medicine", "emergency medicine"), ("Paediatrics", "paediatrics"),
    ("Medical Imaging", "radiology"), ("Infectious Diseases", "infectious disease"),
    ("Neuroscience", "neuroscience"), ("Cardiology", "cardiology"),
    ("Health Economics", "public health"),
]
_LEVELS = ["undergraduate", "postgraduate", "professional"]
# Every third general course runs an offering this term; capacities vary so some fill up.
OFFERING_EVERY = 3


def general_courses() -> list[dict]:
    """The alliance's other courses (93 minus Changchun's five, surgery and the programme)."""
    count = TOTAL_COURSES - len(CHANGCHUN_COURSES) - 2
    courses = []
    for index in range(count):
        topic, discipline = _TOPICS[index % len(_TOPICS)]
        part = index // len(_TOPICS) + 1
        courses.append({"code": f"GMA{100 + index}", "title": f"{topic} {part}",
                        "discipline": discipline, "level": _LEVELS[index % len(_LEVELS)],
                        "faculty_size": 7, "offered": index % OFFERING_EVERY == 0,
                        "capacity": 45 + (index * 13) % 40})
    return courses


def faculty(prefix: str, size: int) -> list[dict]:
    """A teaching team of `size`: one lead, three instructors, the rest teaching assistants."""
    team = [{"user_id": f"{prefix}-lead", "role": "lead"}]
    team += [{"user_id": f"{prefix}-instructor-{i}", "role": "instructor"} for i in range(1, 4)]
    team += [{"user_id": f"{prefix}-ta-{i}", "role": "ta"} for i in range(1, size - 3)]
    return team


def team_prefix(code: str, provider_tag: str) -> str:
    """Faculty user ids of a course start with this (`oxford-surg300-lead`, ...).

    `provider_tag` is the provider's tag (or city): copies of the alliance get their own people.
    """
    return f"{provider_tag.lower().replace(' ', '-')}-{code.lower()}"
