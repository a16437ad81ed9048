"""Plans (`terraform show -json`): what is not a readable plan is a RES001 problem with a plain
message; odd but valid plans map to the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from resilint.model import Problem, Unit, Unknown
from resilint.parsers.terraform.plan import parse_plan
from resilint.sources import SourceFile


def parse(text: str) -> Unit | Problem | None:
    return parse_plan(SourceFile(Path("/x/plan.json"), "plan.json", "terraform-plan", text))


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('{"format_version": "2.0", "planned_values": {}}', 1, "format_version '2.0' is not supported"),
        ('{"planned_values": {}}', 1, "format_version missing is not supported"),
        ('{\n  "format_version": "1.2",\n  "planned_values": {"root_module": {"resources": [', 3, "truncated"),
        ('{"format_version": "1.2", "planned_values": {]}', 1, "invalid plan JSON"),
    ],
)
def test_unreadable_plans_are_problems(text: str, line: int, words: str) -> None:
    result = parse(text)
    assert isinstance(result, Problem)
    assert words in result.message and result.location.line == line


def plan(**sections: Any) -> str:
    return json.dumps({"format_version": "1.2", **sections}, indent=1)


def test_resource_changes_alone_and_unknown_providers() -> None:
    text = plan(
        resource_changes=[
            {
                "address": "module.db[0].aws_db_instance.this",
                "module_address": "module.db[0]",
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "this",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "after": {"multi_az": False}, "after_unknown": {"endpoint": True}},
            },
            {
                "address": "aws_db_instance.old",
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "old",
                "deposed": "abc123",
                "change": {"actions": ["delete"]},
            },
        ]
    )
    unit = parse(text)
    assert isinstance(unit, Unit)
    (db,) = unit.resources
    assert db.address == "module.db[0].aws_db_instance.this"
    assert db.attributes["multi_az"] is False and isinstance(db.attributes["endpoint"], Unknown)
    assert isinstance(db.region, Unknown), "no configuration: which provider it used is not known"
    assert db.location.line == 5


def test_region_from_a_module_variable_chain_and_module_output_references() -> None:
    text = plan(
        variables={"region": {"value": "eu-north-1"}},
        planned_values={
            "root_module": {
                "resources": [
                    {
                        "address": "aws_route53_record.www",
                        "mode": "managed",
                        "type": "aws_route53_record",
                        "name": "www",
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "values": {"name": "www"},
                    }
                ],
                "child_modules": [
                    {
                        "address": "module.outer",
                        "child_modules": [
                            {
                                "address": "module.outer.module.inner",
                                "resources": [
                                    {
                                        "address": "module.outer.module.inner.aws_lb.this",
                                        "mode": "managed",
                                        "type": "aws_lb",
                                        "name": "this",
                                        "provider_name": "registry.terraform.io/hashicorp/aws",
                                        "values": {"name": "web"},
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        },
        configuration={
            "provider_config": {
                "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "expressions": {"region": {"references": ["var.region"]}}},
                "module.outer.module.inner:aws": {
                    "name": "aws",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "module_address": "module.outer.module.inner",
                    "expressions": {"region": {"references": ["var.where"]}},
                },
            },
            "root_module": {
                "resources": [
                    {
                        "address": "aws_route53_record.www",
                        "mode": "managed",
                        "type": "aws_route53_record",
                        "name": "www",
                        "provider_config_key": "aws",
                        "expressions": {"alias": [{"name": {"references": ["module.outer.dns", "module.outer"]}}]},
                    }
                ],
                "module_calls": {
                    "outer": {
                        "expressions": {"where": {"references": ["var.region"]}},
                        "module": {
                            "outputs": {"dns": {"expression": {"references": ["module.inner.dns", "module.inner"]}}},
                            "module_calls": {
                                "inner": {
                                    "expressions": {"where": {"references": ["var.where"]}},
                                    "module": {
                                        "outputs": {"dns": {"expression": {"references": ["aws_lb.this.dns_name", "aws_lb.this"]}}},
                                        "resources": [
                                            {
                                                "address": "aws_lb.this",
                                                "mode": "managed",
                                                "type": "aws_lb",
                                                "name": "this",
                                                "provider_config_key": "module.outer.module.inner:aws",
                                            }
                                        ],
                                    },
                                }
                            },
                        },
                    }
                },
            },
        },
    )
    unit = parse(text)
    assert isinstance(unit, Unit)
    lb = unit.resource("module.outer.module.inner.aws_lb.this")
    assert lb is not None and lb.region == "eu-north-1", "var.where -> var.where -> var.region -> the plan's value"
    record = unit.resource("aws_route53_record.www")
    assert record is not None and record.region is None
    assert [(r.target, r.attribute, r.path) for r in record.references] == [
        ("module.outer.module.inner.aws_lb.this", "dns_name", "alias[0].name")
    ]
