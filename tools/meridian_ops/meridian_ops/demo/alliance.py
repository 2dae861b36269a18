"""The demo alliance: member institutions, partner universities and their students.

Modelled on real programmes: an alliance of 48 medical schools in 16 countries, and about 2,000
students from 46 universities in 26 countries (36 members and 10 partner universities). Names
of places are real; people are not.

`meridian demo seed --scale N` loads N copies of it (for benchmarks on more data): copy 1 is the
alliance as described, copy n > 1 the same with " (n)" after every institution's name and
"-n" after its tag (so `stu-oxford-2-001`, `admin-oxford-2`).
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


def named(name: str, copy: int = 1) -> str:
    """An institution's name in copy `copy` of the alliance (copy 1: the name itself)."""
    return name if copy == 1 else f"{name} ({copy})"


def _institution(name: str, country: str, zone: str, alliances: list[str], city: str,
                 sends: bool, copy: int) -> dict:
    tag = slug(city) if copy == 1 else f"{slug(city)}-{copy}"
    return {"name": named(name, copy), "country": country, "timezone": zone,
            "alliances": alliances, "city": city, "tag": tag, "sends_students": sends}


def institutions(copy: int = 1) -> list[dict]:
    """Every institution: 48 members, then 10 partners (`city`, `tag`, `sends_students` extra)."""
    found = [_institution(f"{city} School of Medicine", country, zone, [ALLIANCE], city,
                          not (len(cities) >= 3 and city == cities[-1]), copy)
             for country, zone, cities in _MEMBERS for city in cities]
    found += [_institution(f"University of {city}", country, zone, [PARTNERS], city, True, copy)
              for country, zone, city in _PARTNERS]
    return found


def slug(text: str) -> str:
    """`Sao Paulo` → `sao-paulo`, for readable user ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def admin(institution: dict) -> str:
    """The user id of an institution's admin (`admin-oxford`, `admin-oxford-2`)."""
    return f"admin-{institution['tag']}"


def student_counts(senders: list[dict], total: int = TOTAL_STUDENTS) -> dict[str, int]:
    """Students per sending institution (by name): varied, deterministic, summing to `total`."""
    weights = [3 + (index * 7) % 5 for index in range(len(senders))]
    counts = [total * w // sum(weights) for w in weights]
    for index in range(total - sum(counts)):
        counts[index % len(counts)] += 1
    return {inst["name"]: count for inst, count in zip(senders, counts, strict=True)}


def students(institution: dict, count: int) -> list[str]:
    """The student ids of one institution: `stu-<tag>-001`, ..."""
    return [f"stu-{institution['tag']}-{n:03d}" for n in range(1, count + 1)]
