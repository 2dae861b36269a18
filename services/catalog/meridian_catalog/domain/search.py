"""Word search over courses: the words a course is found by, and the words of a query."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[\w]+", re.UNICODE)
MAX_QUERY_WORDS = 10


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of `text`."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(folded)


def course_terms(code: str, title: str, summary: str, tags: list[str]) -> list[str]:
    """Every distinct word a course can be found by."""
    terms: set[str] = set()
    for text in (code, title, summary, *tags):
        terms.update(words(text))
    return sorted(terms)


def query_terms(q: str) -> list[str]:
    """The distinct words of a search query, at most MAX_QUERY_WORDS."""
    seen: list[str] = []
    for word in words(q):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]
