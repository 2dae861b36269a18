"""The demo alliance: member institutions, partner universities and their students.

Modelled on real programmes: an alliance of 48 medical schools in 16 countries, and about 2,000
students from 46 universities in 26 countries (36 members and 10 partner universities). Names
of places are real; people are not.
"""

from __future__ import annotations

import re

ALLIANCE = "global-medical-alliance"
PARTNERS = "global-medical-alliance-partners"

# (country, IANA zone, cities): 48 members in 16 countries. The last city of each country with
# three or more members teaches but sends no students (36 sending members).
_MEMBERS = [
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
# Ten partner universities in ten more countries: they send students but are not members.
_PARTNERS = [
    ("KE", "Africa/Nairobi", "Nairobi"), ("NG", "Africa/Lagos", "Ibadan"),
    ("EG", "Africa/Cairo", "Cairo"), ("TH", "Asia/Bangkok", "Bangkok"),
    ("VN", "Asia/Ho_Chi_Minh", "Hanoi"), ("KR", "Asia/Seoul", "Seoul"),
    ("CL", "America/Santiago", "Santiago"), ("PE", "America/Lima", "Lima"),
    ("IT", "Europe/Rome", "Padua"), ("PL", "Europe/Warsaw", "Krakow"),
]
TOTAL_STUDENTS = 2000


def _member(country: str, zone: str, city: str, sends: bool) -> dict:
    return {"name": f"{city} School of Medicine", "country": country, "timezone": zone,
            "alliances": [ALLIANCE], "city": city, "sends_students": sends}


def institutions() -> list[dict]:
    """Every institution: 48 members, then 10 partners (`city`, `sends_students` are extra)."""
    found = [_member(country, zone, city, not (len(cities) >= 3 and city == cities[-1]))
             for country, zone, cities in _MEMBERS for city in cities]
    found += [{"name": f"University of {city}", "country": country, "timezone": zone,
               "alliances": [PARTNERS], "city": city, "sends_students": True}
              for country, zone, city in _PARTNERS]
    return found


def slug(text: str) -> str:
    """`Sao Paulo` → `sao-paulo`, for readable user ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def student_counts(senders: list[dict], total: int = TOTAL_STUDENTS) -> dict[str, int]:
    """Students per sending institution (by name): varied, deterministic, summing to `total`."""
    weights = [3 + (index * 7) % 5 for index in range(len(senders))]
    counts = [total * w // sum(weights) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % len(counts)] += 1
    return {inst["name"]: count for inst, count in zip(senders, counts, strict=True)}


def students(institution: dict, count: int) -> list[str]:
    """The student ids of one institution: `stu-<city>-001`, ..."""
    return [f"stu-{slug(institution['city'])}-{n:03d}" for n in range(1, count + 1)]
