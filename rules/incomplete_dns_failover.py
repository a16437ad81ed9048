"""RES301 incomplete-dns-failover."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.dns import DNS_RECORDS
from resilint.model import Project, Unit, Unknown
from resilint.relations.dns import DnsIndex, Record, deployed_index, may_be_same_set, records, zone_label
from resilint.rule import Severity, Violation, in_each_copy, rule

_COUNTERPART = {"PRIMARY": "SECONDARY", "SECONDARY": "PRIMARY"}


@rule(
    id="RES301",
    name="incomplete-dns-failover",
    severity=Severity.ERROR,
    summary="A PRIMARY failover record without a SECONDARY, or a SECONDARY without a PRIMARY",
    fix="Add the missing failover record with the same zone, name and type, or remove the failover policy",
    tags=("dns", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Groups Route 53 failover records into record sets by hosted zone, fully qualified name and
    type, across `aws_route53_record`, `AWS::Route53::RecordSet` and every element of
    `AWS::Route53::RecordSetGroup.RecordSets` (and across every file of the scan, so a PRIMARY
    in one stack and its SECONDARY in another are one set). Flags a PRIMARY with no SECONDARY
    in its set, and a SECONDARY with no PRIMARY.

    A record counts as the counterpart when nothing in the code shows it answers for a different
    zone, name or type: a record whose zone, name, type or failover type is unknown (a
    variable, a data source, a dynamic block) may be the missing half, so it silences the rule.
    Names relative to the zone (`www`) and fully qualified ones (`www.example-shop.com.`) are
    compared after expansion. A counterpart kept in code that is not scanned is not seen: scan
    both together, or suppress the finding with the reason.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: each copy's record takes the role its region's condition gives it,
    and the copies' records complete each other (the PRIMARY one copy makes, the SECONDARY
    another makes); copies that all make a SECONDARY (the condition names a region none is
    deployed to) have no PRIMARY. A finding is reported once at the template's line, ending with the
    copies it holds in (`(in the stack's copy in us-east-1)`).

    ## Why is this bad?
    Failover routing needs both halves. A PRIMARY alone has no standby to fail over to when its
    health check fails; a SECONDARY alone answers every query with the standby and leaves the
    real primary out of DNS. Either way the failover that the configuration promises does not
    exist, and nobody notices until the outage.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "api"
      type            = "A"
      set_identifier  = "east"
      health_check_id = aws_route53_health_check.east.id

      failover_routing_policy {
        type = "PRIMARY"
      }

      alias {
        name                   = aws_lb.east.dns_name
        zone_id                = aws_lb.east.zone_id
        evaluate_target_health = true
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "api_primary" {
      # ... as above
    }

    resource "aws_route53_record" "api_secondary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "api"
      type           = "A"
      set_identifier = "west"

      failover_routing_policy {
        type = "SECONDARY"
      }

      alias {
        name                   = aws_lb.west.dns_name
        zone_id                = aws_lb.west.zone_id
        evaluate_target_health = true
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring-options.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-failover.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html
    """
    # A stack deployed to several regions: each copy decides its records' failover role, and
    # the copies' records are counterparts of each other (and of other units' records).
    index = deployed_index(project)
    yield from in_each_copy(unit, lambda judged: _incomplete(judged, index))


def _incomplete(unit: Unit, index: DnsIndex) -> Iterator[Violation]:
    for record in records(unit):
        if record.family != "route53" or record.resource.count_unknown:
            continue
        wanted = _COUNTERPART.get(record.failover) if isinstance(record.failover, str) else None
        if wanted is None:
            continue
        if any(_may_complete(record, other, wanted) for _, other in index.records_for_name(record)):
            continue
        yield _violation(record, wanted)


def _may_complete(record: Record, other: Record, wanted: str) -> bool:
    if other is record or other.family != "route53":
        return False
    if not (other.failover == wanted or isinstance(other.failover, Unknown)):
        return False
    return may_be_same_set(record, other)


def _violation(record: Record, wanted: str) -> Violation:
    what = record.shown_name + (f" {record.rtype}" if record.rtype else "")
    if record.failover == "PRIMARY":
        why = "there is no standby to fail over to when its health check fails"
    else:
        why = "Route 53 answers every query with the standby and the primary is never used"
    spelling = DNS_RECORDS.member(record.resource)
    standby = " pointing at the standby (another region, or a static fallback)" if wanted == "SECONDARY" else ""
    if spelling is not None:
        fix = (
            f"Add {spelling.word('same_set')} and {spelling.word('failover_policy') % wanted}{standby}, "
            f"or remove {spelling.word('remove_failover')}"
        )
    else:
        fix = f"Add a {wanted} record for the same name and type{standby}, or remove the failover policy"
    return Violation(
        f"{record.label} is a {record.failover} failover record for {what}, but the scanned code has no "
        f"{wanted} record for the same name and type in {zone_label(record.zone)}: {why}",
        at=record.resource,
        fix=fix,
    )
