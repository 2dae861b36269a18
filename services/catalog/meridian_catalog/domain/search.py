"""Word search over courses: the words a course is found by, and the words of a query."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .permissions import Caller
from .refusals import Forbidden

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


@dataclass(frozen=True)
class CourseFilter:
    """What a course search asks for; `provider_ids` None means any provider."""

    status: str
    terms: tuple[str, ...] = ()
    language: str | None = None
    discipline: str | None = None
    level: str | None = None
    provider_ids: frozenset[str] | None = None


def _visible_providers(status: str, caller: Caller | None) -> frozenset[str] | None:
    if status == "published" or (caller is not None and "admin" in caller.roles):
        return None
    if caller is not None and "institution_admin" in caller.roles and caller.institution_id:
        return frozenset({caller.institution_id})
    raise Forbidden("Only course admins may list courses that are not published.")


def course_filter(args: dict, caller: Caller | None,
                  alliance_members: set[str] | None) -> CourseFilter:
    """The filter of a search (`args` as loaded) that `caller` may run; drafts are for admins."""
    status = args.get("status", "published")
    providers = _visible_providers(status, caller)
    for wanted in ({args["provider"]} if "provider" in args else None, alliance_members):
        if wanted is not None:
            providers = frozenset(wanted) if providers is None else providers & wanted
    return CourseFilter(status=status, terms=tuple(query_terms(args.get("q") or "")),
                        language=args.get("language"), discipline=args.get("discipline"),
                        level=args.get("level"), provider_ids=providers)
