"""RES501 objective-not-met."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES501",
    name="objective-not-met",
    severity=Severity.ERROR,
    summary="A system goes down under a failure its resilience objective says it must survive",
    fix="Give the entry point a path that survives the failure (another region or zone, health-checked failover, a second DNS provider), or change the objective",
    tags=("objectives", "simulate"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Runs the outage simulation of `resilint simulate --objectives` for every `[[objectives]]`
    entry of the configuration: each system whose name matches one of its `systems` globs is
    judged under every single failure its `survive` words stand for (`any-region`: each region
    the system runs in; `any-zone`: each availability zone it is known to run in;
    `any-dns-provider`: each DNS provider serving its names; a scenario such as
    `aws-us-east-1-2025-10-20`; or a target such as `aws:us-east-1`). When the system goes down,
    the rule reports each entry point that stops serving, with the failure and the path that
    breaks (`www.example.io → aws_lb.web (us-east-1) → down: region us-east-1 failed`). A system
    down without entry points is reported at the data store that is lost. A CloudFormation stack
    deployed to several regions runs in each (`any-region` stands for each), and a copy's entry
    point that goes down is reported at the stack's resource, the path naming the copy's region.

    Unknown is never a breach: a system whose verdict depends on values resilint cannot resolve
    is not reported.

    ## Why is this bad?
    An objective is a promise that the design survives a failure. The simulation reads the code
    as it will be deployed and shows that it does not: when that failure happens, this entry
    point stops serving. Finding it in a pull request costs a review comment; finding it during
    a provider's outage costs the outage.

    ## Example
    ```toml
    # .resilint.toml
    [[objectives]]
    systems = ["*"]
    survive = ["any-region"]
    ```

    ```hcl
    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.public.zone_id
      name    = "www"
      type    = "A"
      alias {
        name                   = aws_lb.web.dns_name # one load balancer, in us-east-1
        zone_id                = aws_lb.web.zone_id
        evaluate_target_health = true
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "www_primary" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "www"
      type           = "A"
      set_identifier = "primary"
      failover_routing_policy {
        type = "PRIMARY"
      }
      alias {
        name                   = aws_lb.web.dns_name
        zone_id                = aws_lb.web.zone_id
        evaluate_target_health = true
      }
    }

    resource "aws_route53_record" "www_secondary" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "www"
      type           = "A"
      set_identifier = "secondary"
      failover_routing_policy {
        type = "SECONDARY"
      }
      alias {
        name                   = aws_lb.standby.dns_name # in us-west-2
        zone_id                = aws_lb.standby.zone_id
        evaluate_target_health = true
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_objective_defined_recovery.html
    - https://aws.amazon.com/message/101925/
    """
    if not project.objectives:
        return  # the simulation (and its import) only for a configuration with objectives
    from resilint.simulate.objectives import breaches

    for cell in breaches(project):
        system = cell.verdict
        if unit.id not in {u.id for u in system.system.units}:
            continue
        where = f"{system.system.name} must survive {cell.word} (objective {cell.objective + 1} in configuration)"
        anchored = [j for j in system.entries if j.status.state == "down"] or [j for j in system.data if j.status.state == "down"]
        for judged in anchored:
            node = judged.node
            # a part of a stack's copy in one region is reported at the stack's resource
            if node.resource is None or node.unit is None or (node.unit.copy_of or node.unit.id) != unit.id:
                continue
            yield Violation(
                f"{where}, but under {cell.failure.label} this entry point goes down: {judged.status.because}",
                at=unit.resource(node.resource.address) or node.resource,
            )
