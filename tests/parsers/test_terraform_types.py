"""Variable type constraints: values converted as Terraform converts them, optional() defaults."""

from __future__ import annotations

from typing import Any

import pytest

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError
from resilint.parsers.terraform.types import convert, parse_type


def converted(type_text: str, value: Any) -> Any:
    return convert(value, parse_type(s.parse_expression(type_text)))


@pytest.mark.parametrize(
    "type_text, value, expected",
    [
        ("bool", "true", True),
        ("bool", "false", False),
        ("number", "3", 3),
        ("number", "2.5", 2.5),
        ("string", 3, "3"),
        ("string", True, "true"),
        ("list(string)", [1, "a"], ["1", "a"]),
        ("set(string)", ["b", "a", "b"], ["a", "b"]),
        ("map(number)", {"a": "1"}, {"a": 1}),
        ("tuple([string, number])", ["a", "2"], ["a", 2]),
        ("any", {"x": [1]}, {"x": [1]}),
        ('"list"', ["a"], ["a"]),  # Terraform 0.11 quoted type
        (
            'object({ region = string, multi_az = optional(bool, false), tags = optional(map(string)) })',
            {"region": "eu-west-1", "extra": 1},
            {"region": "eu-west-1", "multi_az": False, "tags": None},
        ),
        (
            'object({ multi_az = optional(bool, true) })',
            {"multi_az": None},  # null takes the default too
            {"multi_az": True},
        ),
        (
            'map(object({ region = optional(string, "eu-west-1") }))',
            {"a": {}, "b": {"region": "us-east-1"}},
            {"a": {"region": "eu-west-1"}, "b": {"region": "us-east-1"}},
        ),
        ("list(object({ zone = optional(string) }))", [{}], [{"zone": None}]),
        ("string", None, None),
        ("bool", Unknown("x"), Unknown("x")),
    ],
)
def test_conversions(type_text: str, value: Any, expected: Any) -> None:
    assert converted(type_text, value) == expected


def test_unknown_elements_are_kept() -> None:
    value = converted("list(string)", [Unknown("a"), "b"])
    assert isinstance(value[0], Unknown) and value[1] == "b"


@pytest.mark.parametrize(
    "type_text, value",
    [
        ("bool", "yes"),
        ("number", "three"),
        ("number", True),
        ("list(string)", {"a": 1}),
        ("object({ region = string })", {}),
        ("tuple([string])", ["a", "b"]),
    ],
)
def test_values_terraform_rejects(type_text: str, value: Any) -> None:
    with pytest.raises(EvalError):
        converted(type_text, value)
