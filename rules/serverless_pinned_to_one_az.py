"""RES315 serverless-pinned-to-one-az."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT, as_bool, as_int, blocks, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, FUNCTIONS
from resilint.families.platforms import APP_PLATFORMS
from resilint.model import Project, Unit, Unknown
from resilint.relations.footprint import plumbing_functions
from resilint.relations.network import span
from resilint.relations.service_scaling import ecs_scaling
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES315",
    name="serverless-pinned-to-one-az",
    severity=Severity.WARNING,
    summary="Serverless or container compute can only run in one availability zone",
    fix="Give the function subnets in two or more availability zones, or make the environment zone-redundant",
    tags=("az", "serverless"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags serverless and managed container compute that the code confines to one availability
    zone:

    - a Lambda function attached to a VPC (`aws_lambda_function` `vpc_config.subnet_ids`,
      `AWS::Lambda::Function` `VpcConfig.SubnetIds`, SAM functions too) whose subnets are one
      subnet or subnets of one zone;
    - an Azure Container Apps environment (`azurerm_container_app_environment`) without
      `zone_redundancy_enabled = true`, as a note: its replicas are not spread over the
      region's zones;
    - an ECS service behind a load balancer (`load_balancer` / `LoadBalancers`) that runs one
      task, as a note: `desired_count = 1` (`DesiredCount: 1`, or left out in CloudFormation,
      where a new service starts one task), or an Application Auto Scaling target of its
      desired count (`aws_appautoscaling_target`, `AWS::ApplicationAutoScaling::ScalableTarget`
      on `ecs:service:DesiredCount`) whose `min_capacity` / `MinCapacity` is 1. A scalable
      target with a floor of two or more keeps the service silent, as do a count that is not
      known, zero, or left to Terraform's default (0: a deployment sets it), a scalable target
      that may name the service without the code saying which, daemon services and services
      with no load balancer (workers).

    A function without a VPC runs in every zone of its region and is not judged, nor are
    functions that only back custom resources or macros of their stack (they run when the
    stack is deployed, not for requests). Subnets are followed to their zone as RES304 does:
    a list of one subnet is one zone whatever that zone is; a list from a variable or a module
    output, or subnets whose zone the code does not fix, are not known and not judged. ECS
    services and EKS node groups whose subnets are in one zone are RES304's; a single task is
    noted here whatever its subnets, because one task is in one zone at a time.

    ## Why is this bad?
    Lambda runs a VPC function only in the zones of its subnets: with one zone, an outage of
    that zone stops every invocation, although Lambda itself is a regional service that would
    have kept running elsewhere. A Container Apps environment that is not zone-redundant can
    have all the replicas of an app in the zone that fails; zone redundancy can only be chosen
    when the environment is created, so it is cheapest to decide up front. An ECS service with
    one task heals itself, but only after the zone's failure is noticed and a new task is
    placed, pulled and passes its health checks: minutes with nothing behind the load balancer.

    ## Example
    ```hcl
    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "api.zip"

      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id]
        security_group_ids = [aws_security_group.api.id]
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "api.zip"

      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id, aws_subnet.private_c.id]
        security_group_ids = [aws_security_group.api.id]
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    - https://docs.aws.amazon.com/config/latest/developerguide/lambda-vpc-multi-az-check.html
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-azure-container-apps
    - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html
    """
    plumbing = plumbing_functions(unit)
    for function in FUNCTIONS.members(unit, "function"):
        if function.resource.count_unknown or function.address in plumbing:
            continue
        yield from _vpc_function(unit, function)
    for environment in APP_PLATFORMS.members(unit, "container_app_environment"):
        if environment.resource.count_unknown:
            continue
        yield from _container_app_environment(environment)
    for service in COMPUTE_GROUPS.members(unit, "container_service"):
        if service.resource.count_unknown:
            continue
        yield from _single_task_service(unit, service)


def _vpc_function(unit: Unit, function: Member) -> Iterator[Violation]:
    vpc_value = function.value("vpc")
    if vpc_value is None or isinstance(vpc_value, Unknown):
        return  # no VPC: Lambda runs the function in every zone of the region
    vpc = first_block(vpc_value)
    if vpc is None:
        return
    name = f"{function.argument('vpc')}.{function.argument('subnets')}"
    found = span(unit, function.value("subnets", within=vpc))
    if found is None or not found.one_zone:
        return
    zones = found.zones
    if len(found.distinct) == 1:
        entry = found.distinct[0]
        where = (
            f"one subnet ({name} has one entry)"
            if entry.resource is None and entry.zone is None
            else f"one subnet ({name} = {found.describe()})"
        )
        if zones:
            where += f", in {zones[0].value}"
    else:
        where = f"subnets of one availability zone, {zones[0].value} ({name} = {found.describe()})"
    yield Violation(
        f"{function.address} is a VPC function that can only run in {where}: when that zone fails, every "
        "invocation fails, though Lambda would have run it in the region's other zones",
        at=function.resource,
        fix=f"List subnets in two or more availability zones in {name}",
    )


def _container_app_environment(environment: Member) -> Iterator[Violation]:
    name, value = environment.setting("zone_redundancy")
    if value is DEFAULT:
        why = f"{name} is not set; the default is false"
    elif as_bool(value) is False:
        why = f"{name} = false"
    else:
        return
    subnet = environment.argument("subnet")
    needs_subnet = "" if environment.may_be_set("subnet") else f" with an {subnet} (zone redundancy needs one)"
    yield Violation(
        f"{environment.address} is a Container Apps environment that is not zone-redundant ({why}): the "
        "replicas of its apps are not spread over availability zones, and a zone failure can take all of "
        "them",
        at=environment.resource,
        fix=(
            f"Set {environment.assignment('zone_redundancy', 'true')}{needs_subnet} and run at least two "
            "replicas per app; it can only be chosen when the environment is created"
        ),
        severity=Severity.NOTE,
    )


def _single_task_service(unit: Unit, service: Member) -> Iterator[Violation]:
    balancers = blocks(service.value("load_balancers"))
    if not balancers:
        return  # not behind a load balancer (or not known to be): not on a serving path
    strategy = service.value("scheduling")
    if not (strategy is None or (isinstance(strategy, str) and strategy.strip().upper() == "REPLICA")):
        return  # DAEMON runs a task on every container instance; unknown is not judged
    scaling = ecs_scaling(unit, service)
    if not scaling.known:
        return
    if scaling.target is not None:
        floor = as_int(scaling.minimum)
        if floor != 1:
            return  # two or more, none (scaled to zero on purpose), or not known
        tasks, evidence = "as few as one task", f"{scaling.target.address} has {scaling.target.argument('min_capacity')} = 1"
    else:
        name, count = service.setting("desired_count")
        if count is DEFAULT and service.says("desired_default") == "1":
            tasks, evidence = "one task", f"{name} is not set; the default is 1"
        elif as_int(count) == 1:
            tasks, evidence = "one task", f"{name} = 1"
        else:
            return  # two or more, zero, left to Terraform's default of 0 (set by a deployment), or unknown
    yield Violation(
        f"{service.address} serves behind a load balancer with {tasks} ({evidence}): that task runs in one "
        "availability zone, and when that zone fails the service answers nothing until ECS has started a "
        "replacement in another zone",
        at=service.resource,
        fix=(
            f"Run at least two tasks ({service.assignment('desired_count', '2')}, or {service.word('scaling_floor')}) "
            "over subnets in two or more availability zones, so that a task keeps serving while the lost one is replaced"
        ),
        severity=Severity.NOTE,
        rests_on=(service.argument("desired_count"),),
    )
