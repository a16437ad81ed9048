"""RES315 serverless-pinned-to-one-az: VPC functions in one zone (Terraform, CloudFormation,
SAM) and Container Apps environments without zone redundancy (notes)."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "serverless_pinned_to_one_az"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES315",)), ParseOptions()).findings if f.rule_id == "RES315"]


def test_vpc_functions_in_one_zone_name_the_subnets() -> None:
    findings = _findings(FIXTURES / "fail_lambda_in_one_zone")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_lambda_function.one_subnet", 17, "warning"),
        ("aws_lambda_function.one_zone", 30, "warning"),
    ]
    assert findings[0].message.startswith(
        "aws_lambda_function.one_subnet is a VPC function that can only run in one subnet "
        "(vpc_config.subnet_ids = aws_subnet.private_a), in eu-west-1a: when that zone fails"
    )
    assert "subnets of one availability zone, eu-west-1a" in findings[1].message
    assert findings[0].fix == "List subnets in two or more availability zones in vpc_config.subnet_ids"


def test_cloudformation_and_sam_functions() -> None:
    findings = _findings(FIXTURES / "fail_cloudformation")
    assert [(f.resource, f.line) for f in findings] == [("Worker", 10), ("Api", 23)]
    assert findings[1].fix == "List subnets in two or more availability zones in VpcConfig.SubnetIds"


def test_container_app_environments_without_zone_redundancy_are_notes() -> None:
    findings = _findings(FIXTURES / "fail_container_app_environment")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("azurerm_container_app_environment.default", 5, "note"),
        ("azurerm_container_app_environment.off", 11, "note"),
    ]
    assert "(zone_redundancy_enabled is not set; the default is false)" in findings[0].message
    assert findings[0].fix is not None and "with an infrastructure_subnet_id" in findings[0].fix
    assert findings[1].fix is not None and "infrastructure_subnet_id" not in findings[1].fix


def test_spread_unknown_detached_and_plumbing_functions_are_not_reported() -> None:
    for case in ("pass_lambda_in_several_zones", "pass_cloudformation", "pass_container_app_zone_redundant"):
        assert _findings(FIXTURES / case) == [], case
