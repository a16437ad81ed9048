"""Rules that judge the copies of a CloudFormation stack deployed to several regions (RES202,
RES203, RES301, RES308, RES311, RES302, RES108; RES309 reads the copies' records as its system's): what only a copy's region decides is found, each finding once at the
template's file and line, saying in which copies it holds."""

from __future__ import annotations

from pathlib import Path

from resilint.model import Location, Project, Unit
from resilint.rule import Violation, in_each_copy
from resilint.testing import lint_case
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RULES = ("RES202", "RES203", "RES301", "RES308", "RES311")


def _findings(folder: Path, rules: tuple[str, ...] = RULES) -> list[tuple[str, str | None, str, int, str]]:
    return [(f.rule_id, f.resource, f.path.rpartition("/")[2], f.line, f.message) for f in lint_case(folder, select=rules) if f.rule_id in rules]


def test_a_primary_only_the_region_decides_has_no_health_check() -> None:
    assert _findings(FIXTURES / "failover_without_health_check/fail_cfn_stack_copies_primary_by_region") == [
        (
            "RES202",
            "Api",
            "template.yaml",
            21,
            "Api is the PRIMARY failover record for api.example.com A, but it has no health check and its alias does "
            "not evaluate the target's health (EvaluateTargetHealth is false or not set): Route 53 treats it as always "
            "healthy, so it keeps answering with the primary when that endpoint fails and never fails over to the "
            "SECONDARY (in the stack's copy in us-east-1)",
        )
    ]


def test_copies_that_all_make_the_secondary_give_one_finding() -> None:
    assert _findings(FIXTURES / "incomplete_dns_failover/fail_cfn_stack_copies_no_primary") == [
        (
            "RES301",
            "Api",
            "template.yaml",
            20,
            "Api is a SECONDARY failover record for api.example.com A, but the scanned code has no PRIMARY record for "
            "the same name and type in hosted zone Z0123456789EXAMPLE: Route 53 answers every query with the standby "
            "and the primary is never used (in the stack's copies in us-east-1 and us-west-2)",
        )
    ]


def test_a_ttl_from_a_mapping_by_region() -> None:
    ((rule, resource, path, line, message),) = _findings(FIXTURES / "failover_ttl_too_long/fail_cfn_stack_copies_ttl_by_region")
    assert (rule, resource, path, line) == ("RES203", "Api", "template.yaml", 25)
    assert "TTL = 900 s, above 120 s" in message and message.endswith("(in the stack's copy in us-east-1)")


def test_the_copies_records_are_one_set() -> None:
    ((rule, resource, path, line, message),) = _findings(FIXTURES / "steering_targets_one_region/fail_cfn_stack_copies_one_endpoint")
    assert (rule, resource, path, line) == ("RES308", "Api", "template.yaml", 23)
    assert message.startswith(
        "api.example.com (CNAME) is a failover set of 2 records (Api (us-east-1 copy), Api (us-west-2 copy)) "
        "whose targets all sit in us-east-1 (web-0123456789.us-east-1.elb.amazonaws.com)"
    )


def test_each_copys_check_reads_its_own_regions_alarm() -> None:
    assert _findings(FIXTURES / "health_check_fails_open/fail_cfn_stack_copies_alarm_in_own_region") == [
        (
            "RES311",
            "Check",
            "template.yaml",
            31,
            "Check reads a CloudWatch alarm in us-east-1, where Api sends clients (Web), and counts missing alarm data "
            "as LastKnownStatus: when us-east-1 fails, the alarm gets no data and the check keeps reporting the failed "
            "endpoint healthy (in the stack's copy in us-east-1; likewise in its copy in us-west-2)",
        )
    ]


def test_a_stack_that_fails_over_between_its_copies_on_health_checks_alone() -> None:
    assert _findings(FIXTURES / "no_data_plane_failover_control/fail_cfn_stack_copies_failover", ("RES309",)) == [
        (
            "RES309",
            "Api",
            "template.yaml",
            28,
            "Api fails api.example.com over between us-east-1 and us-west-2 on health checks alone: no ARC routing "
            "control or Region switch plan in this unit lets anyone force the failover without Route 53's control "
            "plane, which runs in us-east-1",
        )
    ]
    assert _findings(FIXTURES / "no_data_plane_failover_control/pass_cfn_stack_copies_routing_control", ("RES309",)) == []


def test_a_database_multi_az_in_the_primary_regions_copy_only() -> None:
    assert _findings(FIXTURES / "database_without_multi_az/fail_cfn_stack_copies_multi_az_by_region", ("RES302",)) == [
        ("RES302", "Orders", "template.yaml", 8, "Orders runs in one availability zone (MultiAZ = false: condition IsPrimary) (in the stack's copy in us-west-2)")
    ]
    # A read replica in the other copy has its standby in the source's region.
    assert _findings(FIXTURES / "database_without_multi_az/pass_cfn_stack_copies_replica_in_secondary", ("RES302",)) == []


def test_a_backup_copy_action_a_mapping_by_region_sends_to_the_copys_own_region() -> None:
    assert _findings(FIXTURES / "backups_not_copied_cross_region/fail_cfn_stack_copies_copy_by_region", ("RES108",)) == [
        (
            "RES108",
            "Plan",
            "template.yaml",
            17,
            "Plan keeps every AWS Backup recovery point in us-west-2: its copy actions send them to the same region "
            "(arn:aws:backup:us-west-2:123456789012:backup-vault:dr); a regional outage leaves nothing to restore from "
            "elsewhere (in the stack's copy in us-west-2)",
        )
    ]
    assert _findings(FIXTURES / "backups_not_copied_cross_region/pass_cfn_stack_copies_copy_to_each_other", ("RES108",)) == []


def test_copies_that_complete_each_other_are_silent() -> None:
    for case in (
        "failover_without_health_check/pass_cfn_stack_copies_health_checked",
        "incomplete_dns_failover/pass_cfn_stack_copies_primary_and_secondary",
        "failover_ttl_too_long/pass_cfn_stack_copies_short_ttl",
        "steering_targets_one_region/pass_cfn_stack_copies_own_endpoints",
        "health_check_fails_open/pass_cfn_stack_copies_missing_data_unhealthy",
        "simulate/stack_copies_failover",
        "simulate/stack_set_copies_latency",
    ):
        assert _findings(FIXTURES / case) == [], case


_RECORD = """AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsPrimary: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Api:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: Z0123456789EXAMPLE
      Name: api.example.com
      Type: A
      TTL: "60"
      SetIdentifier: !Ref "AWS::Region"
      Failover: FAILOVER
      ResourceRecords: [192.0.2.10]
"""


def test_a_stack_sets_instances_are_copies(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app.yaml": _RECORD.replace("FAILOVER", "!If [IsPrimary, PRIMARY, SECONDARY]"),
            "org.yaml": (
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  App:\n    Type: AWS::CloudFormation::StackSet\n"
                "    Properties:\n      StackSetName: app\n      PermissionModel: SELF_MANAGED\n      TemplateURL: app.yaml\n"
                "      StackInstancesGroup:\n        - DeploymentTargets:\n            Accounts: ['123456789012']\n"
                "          Regions: [eu-west-1, us-east-1]\n"
            ),
        },
    )
    ((rule, resource, path, line, message),) = _findings(tmp_path)
    assert (rule, resource, path, line) == ("RES202", "Api", "app.yaml", 5)
    assert message.endswith("(in the stack's copy in us-east-1)")


def test_a_finding_of_the_template_itself_is_reported_once_as_it_is(tmp_path: Path) -> None:
    write(tmp_path, {"template.yaml": _RECORD.replace("FAILOVER", "PRIMARY"), ".resilint.toml": '[cloudformation]\nregions = ["us-east-1", "us-west-2"]\n'})
    found = _findings(tmp_path)
    # Every copy's record is PRIMARY too: one finding each of RES202 and RES301, the template's.
    assert [(rule, line) for rule, _, _, line, _ in found] == [("RES202", 5), ("RES301", 5)]
    assert not any("copy" in message for *_, message in found)


def _unit(regions: tuple[str, ...]) -> Unit:
    location = Location(path="t.yaml", line=1, end_line=1)
    copies = tuple(Unit(id=f"t.yaml@{r}", source="cloudformation", location=location, deploy_regions=(r,), copy_of="t.yaml") for r in regions)
    return Unit(id="t.yaml", source="cloudformation", location=location, deploy_regions=regions, copies=copies)


def test_in_each_copy_merges_the_copies_findings_at_one_place() -> None:
    at = Location(path="t.yaml", line=7, end_line=7)
    other = Location(path="t.yaml", line=9, end_line=9)

    def judge(unit: Unit) -> list[Violation]:
        region = unit.copy_region
        if region is None:
            return []
        found = [Violation("same everywhere", at=at), Violation(f"sits in {region}", at=other)]
        return found if region != "eu-west-1" else found[:1]

    messages = [v.message for v in in_each_copy(_unit(("ap-south-1", "eu-west-1", "us-east-1")), judge)]
    assert messages == [
        "same everywhere (in the stack's copies in ap-south-1, eu-west-1 and us-east-1)",
        "sits in ap-south-1 (in the stack's copy in ap-south-1; likewise in its copy in us-east-1)",
    ]


def test_in_each_copy_prefers_the_templates_own_finding_and_judges_a_unit_without_copies_once() -> None:
    at = Location(path="t.yaml", line=7, end_line=7)
    calls: list[str] = []

    def judge(unit: Unit) -> list[Violation]:
        calls.append(unit.id)
        return [Violation(f"in {unit.copy_region or 'the template'}", at=at)]

    assert [v.message for v in in_each_copy(_unit(("us-east-1", "us-west-2")), judge)] == ["in the template"]
    calls.clear()
    assert [v.message for v in in_each_copy(_unit(()), judge)] == ["in the template"] and calls == ["t.yaml"]
    assert Project(units=(_unit(("us-east-1", "us-west-2")),)).units[0].copies[1].copy_region == "us-west-2"
