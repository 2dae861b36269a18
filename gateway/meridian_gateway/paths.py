"""Path templates such as `/api/v1/offerings/{id}/roster`, compiled to anchored regexes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_SEGMENT = r"[^/]+"


def compile_template(template: str, *, subtree: bool = False) -> re.Pattern[str]:
    """A regex that matches `template` exactly and, with `subtree`, every path below it."""
    literals = _PLACEHOLDER.split(template)
    body = _SEGMENT.join(re.escape(literal) for literal in literals)
    tail = "(?:/.*)?" if subtree else ""
    return re.compile(f"^{body}{tail}$")


def sample_path(template: str) -> str:
    """The template with every placeholder filled in, e.g. to route an OpenAPI path."""
    return _PLACEHOLDER.sub("x", template)


def has_dot_segment(path: str) -> bool:
    """True when a segment is `.` or `..`, which HTTP clients may collapse into another path."""
    return any(segment in {".", ".."} for segment in path.split("/"))


@dataclass(frozen=True)
class PathRule:
    """One template, optionally covering its whole subtree (`/api/v1/courses/**`)."""

    template: str
    subtree: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_template(self.template, subtree=self.subtree))

    def matches(self, path: str) -> bool:
        """True when `path` is covered by this rule."""
        return self.pattern.match(path) is not None

    @property
    def label(self) -> str:
        """A bounded, human-readable name for metrics and logs."""
        return f"{self.template}/**" if self.subtree else self.template
