"""Expression evaluation: values, functions, and unknowns that stay unknown."""

from __future__ import annotations

from typing import Any

import pytest

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS

VARIABLES: dict[str, Any] = {
    "region": "eu-west-1",
    "regions": ["eu-west-1", "eu-central-1"],
    "tags": {"env": "prod"},
    "unset": Unknown("var.unset has no value"),
    "n": 3,
}


def evaluate(text: str) -> Any:
    def roots(name: str, steps: Steps) -> Any:
        if name == "var":
            return VARIABLES[str(steps.take())]
        raise EvalError(f"undeclared {name}")

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"${var.region}-a"', "eu-west-1-a"),
        ("var.regions[1]", "eu-central-1"),
        ("var.n * 2 + 1", 7),
        ("var.n > 2 ? \"big\" : \"small\"", "big"),
        ('[for r in var.regions : upper(r) if r != "eu-west-1"]', ["EU-CENTRAL-1"]),
        ("{for r in var.regions : r => length(r)}", {"eu-west-1": 9, "eu-central-1": 12}),
        ('lookup(var.tags, "env", "dev")', "prod"),
        ('lookup(var.tags, "team", "core")', "core"),
        ('merge(var.tags, {team = "core"})', {"env": "prod", "team": "core"}),
        ('coalesce("", "x")', "x"),
        ('join(",", var.regions)', "eu-west-1,eu-central-1"),
        ('split("-", var.region)', ["eu", "west", "1"]),
        ('format("%s-%03d", "db", 7)', "db-007"),
        ("length(var.regions)", 2),
        ("toset([\"b\", \"a\", \"b\"])", ["a", "b"]),
        ("contains(var.regions, \"eu-west-1\")", True),
        ("keys(var.tags)", ["env"]),
        ("element(var.regions, 3)", "eu-central-1"),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ("try(var.tags.missing, \"fallback\")", "fallback"),
        ("can(var.tags.missing)", False),
        ("var.regions[*]", ["eu-west-1", "eu-central-1"]),
        ("concat(var.regions, [\"us-east-1\"])", ["eu-west-1", "eu-central-1", "us-east-1"]),
        ("!(1 == 1)", False),
        ("5 % 3", 2),
    ],
)
def test_known_values(text: str, expected: Any) -> None:
    assert evaluate(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "var.unset",
        '"${var.unset}-a"',
        'var.unset == "true"',
        "var.unset ? 1 : 2",
        "upper(var.unset)",
        "[for r in var.unset : r]",
        "var.unset[0]",
        "var.unset.attribute",
        "toset([var.unset, \"a\"])",
        "timestamp()",
    ],
)
def test_unknown_stays_unknown(text: str) -> None:
    assert isinstance(evaluate(text), Unknown)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("false && var.unset", False),
        ("true || var.unset", True),
        ("var.unset ? 1 : 1", 1),
        ("length([var.unset, var.unset])", 2),
    ],
)
def test_unknown_does_not_spread_where_the_answer_is_known(text: str, expected: Any) -> None:
    assert evaluate(text) == expected


def test_errors_become_unknown_with_a_reason() -> None:
    value = evaluate("var.regions[5]")
    assert isinstance(value, Unknown) and "out of range" in value.reason


def test_unknown_cannot_be_truth_tested() -> None:
    with pytest.raises(TypeError):
        bool(Unknown("x"))
