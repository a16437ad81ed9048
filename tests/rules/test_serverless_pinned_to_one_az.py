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


def test_ecs_services_behind_a_load_balancer_with_one_task_are_notes() -> None:
    findings = _findings(FIXTURES / "fail_ecs_single_task")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_ecs_service.web", 27, "note"),
        ("aws_ecs_service.api", 46, "note"),
    ]
    assert findings[0].message == (
        "aws_ecs_service.web serves behind a load balancer with one task (desired_count = 1): that task runs in one "
        "availability zone, and when that zone fails the service answers nothing until ECS has started a "
        "replacement in another zone"
    )
    assert "with as few as one task (aws_appautoscaling_target.api has min_capacity = 1):" in findings[1].message
    assert findings[0].fix == (
        "Run at least two tasks (desired_count = 2, or an aws_appautoscaling_target for it with min_capacity = 2) "
        "over subnets in two or more availability zones, so that a task keeps serving while the lost one is replaced"
    )


def test_cloudformation_services_start_with_one_task_when_the_count_is_left_out() -> None:
    findings = _findings(FIXTURES / "fail_ecs_single_task_cfn")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [("Web", 11, "note"), ("Api", 24, "note")]
    assert "with one task (DesiredCount is not set; the default is 1):" in findings[0].message
    assert "with as few as one task (ApiScaling has MinCapacity = 1):" in findings[1].message
    assert findings[1].fix is not None and "AWS::ApplicationAutoScaling::ScalableTarget for it with MinCapacity: 2" in findings[1].fix


def test_ecs_services_kept_at_two_tasks_or_of_unknown_count_are_not_reported() -> None:
    for case in ("pass_ecs_tasks_kept_at_two", "pass_ecs_scaled_by_unknown_target"):
        assert _findings(FIXTURES / case) == [], case
