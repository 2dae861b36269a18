"""Schemathesis against the running stack's merged OpenAPI document, through the gateway:
no server errors, and no answer outside the documented statuses, media types, headers and
schemas. Fixed seed and deterministic generation, so a run is reproducible; bounded example
counts keep it to a few minutes on two cores."""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from tests.support import make_token, unique

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance")
# role → (phases, fuzzing examples per operation). The admin run reaches the most code; the
# coverage phase adds boundary values and malformed input for every parameter and field.
RUNS = {"admin": (("examples", "coverage", "fuzzing"), 10),
        "student": (("examples", "fuzzing"), 3)}


def _config(token: str, phases: tuple[str, ...], examples: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 20261126,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "generation": {"max-examples": examples, "deterministic": True},
        "phases": {name: {"enabled": name in phases}
                   for name in ("examples", "coverage", "fuzzing", "stateful")},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "headers": {"Authorization": f"Bearer {token}"},
        "request-timeout": 30,
        # Runs are reproducible from the seed; no state is kept in the repository.
        "cache": {"enabled": False},
    })


# The gateway's documented answers for an overloaded machine: tolerated (and reported), since
# they say the shared CI box was slow, not that a service mishandled the input. Anything else
# at 5xx (500, 502, 503 upstream_unavailable or circuit_open) is a finding.
OVERLOAD = {(503, "upstream_saturated"), (504, "upstream_timeout")}
MAX_OVERLOAD_SHARE = 0.2


def _overload(response) -> bool:
    if response is None or response.status_code not in (503, 504):
        return False
    try:
        code = response.json().get("code")
    except ValueError:
        return False
    return (response.status_code, code) in OVERLOAD


def _describe(node, response) -> str:
    failure = node.failure_info.failure
    answer = (f"{response.status_code} {response.content[:300]!r}" if response is not None
              else "no response")
    return (f"{failure.operation}: {failure.title}: {failure.message[:500]}\n"
            f"    answered {answer}\n    {node.failure_info.code_sample[:800]}")


def run(stream) -> tuple[list[str], list[str], int]:
    """Findings, tolerated overload answers, and how many requests a run sent."""
    found, overloaded, sent = [], [], 0
    for event in stream:
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            found.append(f"{event.label}: {event.info.format()[:800]}")
        elif isinstance(event, events.ScenarioFinished):
            interactions = event.recorder.interactions
            sent += len(interactions)
            for case_id, nodes in event.recorder.checks.items():
                response = interactions[case_id].response if case_id in interactions else None
                for node in (n for n in nodes if n.failure_info is not None):
                    target = overloaded if _overload(response) else found
                    target.append(_describe(node, response))
    return sorted(set(found)), sorted(set(overloaded)), sent


@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", sorted(RUNS))
def test_every_operation_answers_as_documented(gateway_url, role):
    phases, examples = RUNS[role]
    token = make_token(unique(f"fuzz-{role}-"), [role])
    schema = schemathesis.openapi.from_url(f"{gateway_url}/api/v1/openapi.json", timeout=30,
                                           config=_config(token, phases, examples))
    found, overloaded, sent = run(from_schema(schema).execute())
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)
    if overloaded:
        warnings.warn(f"{len(overloaded)} of {sent} requests met an overloaded stack:\n"
                      + "\n".join(overloaded), stacklevel=1)
    assert len(overloaded) <= MAX_OVERLOAD_SHARE * sent, "the stack was too slow to judge"
