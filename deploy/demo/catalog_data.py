"""Demo catalog modelled on real alliance programmes (names of places are real, people are not)."""

from __future__ import annotations

ALLIANCE = "global-medical-alliance"

# (name, country, IANA zone) — 48 member institutions in 16 countries.
_CITIES = [
    ("GB", "Europe/London", ["Oxford", "Cambridge", "Edinburgh", "Manchester", "Bristol"]),
    ("CN", "Asia/Shanghai",
     ["Changchun", "Shanghai", "Chengdu", "Guangzhou", "Beijing", "Hangzhou"]),
    ("DE", "Europe/Berlin", ["Heidelberg", "Munich", "Hamburg"]),
    ("SE", "Europe/Stockholm", ["Stockholm", "Uppsala", "Lund"]),
    ("AU", "Australia/Melbourne", ["Melbourne", "Sydney", "Brisbane"]),
    ("BR", "America/Sao_Paulo", ["Sao Paulo", "Porto Alegre", "Rio de Janeiro"]),
    ("UG", "Africa/Kampala", ["Kampala", "Gulu", "Mbarara"]),
    ("CA", "America/Toronto", ["Toronto", "Montreal", "Ottawa"]),
    ("JP", "Asia/Tokyo", ["Kyoto", "Osaka", "Sendai"]),
    ("IN", "Asia/Kolkata", ["Delhi", "Vellore", "Manipal"]),
    ("US", "America/New_York", ["Boston", "Baltimore", "New York"]),
    ("ZA", "Africa/Johannesburg", ["Cape Town", "Johannesburg"]),
    ("NL", "Europe/Amsterdam", ["Leiden", "Utrecht", "Groningen"]),
    ("SG", "Asia/Singapore", ["Singapore"]),
    ("MX", "America/Mexico_City", ["Mexico City", "Guadalajara"]),
    ("NZ", "Pacific/Auckland", ["Auckland", "Dunedin"]),
]
INSTITUTIONS = [
    {"name": f"{city} School of Medicine", "country": country, "timezone": zone,
     "alliances": [ALLIANCE]}
    for country, zone, cities in _CITIES for city in cities
]

CHANGCHUN_COURSES = [
    ("MCB101", "Medical Cell Biology", "biomedical science"),
    ("ORL210", "Otorhinolaryngology Head and Neck Surgery", "surgery"),
    ("TCM220", "Science of Acupuncture and Moxibustion", "traditional chinese medicine"),
    ("TCM230", "Science of Chinese Tuina", "traditional chinese medicine"),
    ("TCM100", "Traditional Chinese Medicine", "traditional chinese medicine"),
]

_TOPICS = [
    ("Clinical Anatomy", "anatomy"), ("Global Surgery", "surgery"), ("Medical Ethics", "ethics"),
    ("Epidemiology", "public health"), ("Pharmacology", "pharmacology"),
    ("Emergency Medicine", "emergency medicine"), ("Paediatrics", "paediatrics"),
    ("Medical Imaging", "radiology"), ("Infectious Diseases", "infectious disease"),
    ("Neuroscience", "neuroscience"), ("Cardiology", "cardiology"),
    ("Health Economics", "public health"),
]
_LEVELS = ["undergraduate", "postgraduate", "professional"]


def other_courses(count: int) -> list[tuple[str, str, str, str]]:
    """`count` English-taught courses as (code, title, discipline, level), deterministic."""
    courses = []
    for index in range(count):
        topic, discipline = _TOPICS[index % len(_TOPICS)]
        part = index // len(_TOPICS) + 1
        courses.append((f"GMA{100 + index}", f"{topic} {part}", discipline,
                        _LEVELS[index % len(_LEVELS)]))
    return courses


def faculty(prefix: str, size: int) -> list[dict]:
    """A teaching team: one lead, instructors and teaching assistants."""
    team = [{"user_id": f"{prefix}-lead", "role": "lead"}]
    team += [{"user_id": f"{prefix}-instructor-{i}", "role": "instructor"} for i in range(1, 4)]
    team += [{"user_id": f"{prefix}-ta-{i}", "role": "ta"} for i in range(1, size - 3)]
    return team
