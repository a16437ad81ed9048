"""Rules read families, never resource types: no rule module's code (its docstrings aside)
names a Terraform, plan or CloudFormation resource type, and none chooses between sources by
hand (`x if terraform else y`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "rules"

# A Terraform type of a provider rules judge (aws_db_instance, azurerm_lb, google_sql_...,
# cloudflare_record, ns1_zone...) or a CloudFormation type (AWS::RDS::DBInstance).
TYPE = re.compile(
    r"\b(aws|azurerm|azuread|azapi|google|google_beta|cloudflare|ns1|dnsimple|digitalocean|oci|alicloud)_[a-z0-9]+(_[a-z0-9]+)*\b"
    r"|\b(AWS|Alexa|Custom)::[A-Za-z0-9]+::[A-Za-z0-9]+\b"
)
SOURCE_CHOICE = re.compile(r"\bterraform\b|\bcloudformation\b")


def _code_strings(tree: ast.Module) -> list[tuple[int, str]]:
    """Every string constant of the module that is not a docstring, with its line."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _rule_modules() -> list[Path]:
    return sorted(p for p in RULES.glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", _rule_modules(), ids=lambda p: p.name)
def test_rule_code_names_no_resource_type(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = [f"{path.name}:{line}: {TYPE.search(text).group(0)}" for line, text in _code_strings(tree) if TYPE.search(text)]  # type: ignore[union-attr]
    assert named == []


@pytest.mark.parametrize("path", _rule_modules(), ids=lambda p: p.name)
def test_rule_code_does_not_choose_a_source_by_hand(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [
        f"{path.name}:{node.lineno}: {node.id}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and SOURCE_CHOICE.fullmatch(node.id)
    ]
    choices = [
        f"{path.name}:{line}: {text!r}"
        for line, text in _code_strings(tree)
        if text in ("terraform", "terraform-plan", "cloudformation")
    ]
    assert names + choices == []


def test_the_check_sees_a_type_in_code() -> None:
    """The scan above finds what it looks for (a check that cannot fail is no check)."""
    tree = ast.parse('"""aws_db_instance in a docstring is fine."""\nX = "aws_db_instance"\nY = f"{z} AWS::S3::Bucket"\n')
    assert [TYPE.search(text) is not None for _, text in _code_strings(tree)] == [True, True]
