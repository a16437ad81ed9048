"""RES103 on Azure databases: flexible servers without a replica in another region, SQL
databases outside any failover group; buckets another root of the system uses through this
root's state (the rest of RES103 is in test_region_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.parsers import ParseOptions
from tests.rules.datarules_helpers import FIXTURES, findings, where

FOLDER = "no_cross_region_replication"


def test_flexible_servers_without_a_replica_elsewhere_are_named() -> None:
    found = findings(FOLDER, "fail_azure_flexible_server_without_replica", "RES103")
    assert where(found) == [
        ("azurerm_postgresql_flexible_server.orders", "main.tf", 6),
        ("azurerm_mysql_flexible_server.catalog", "main.tf", 15),
        ("azurerm_postgresql_flexible_server.restored", "main.tf", 32),
    ]
    assert found[0].message == (
        "azurerm_postgresql_flexible_server.orders keeps its data in westeurope only: it has no read replica in "
        "another region (its geo-redundant backups restore into the paired region only as a new server)"
    )
    assert "(its copy in the same region, azurerm_mysql_flexible_server.catalog_reader, would go down with it)" in found[1].message
    assert found[0].fix is not None and 'create_mode = "Replica", source_server_id = this server\'s id' in found[0].fix


def test_sql_database_outside_the_failover_group_names_its_server_region() -> None:
    (finding,) = findings(FOLDER, "fail_azure_sql_database_outside_failover_group", "RES103")
    assert (finding.resource, finding.line) == ("azurerm_mssql_database.reports", 29)
    assert finding.message == (
        "azurerm_mssql_database.reports keeps its data in westeurope only: it is in no failover group "
        "(azurerm_mssql_failover_group) and no geo-replica copies it to another region"
    )
    assert finding.fix is not None and finding.fix.startswith("List the database in the databases of an azurerm_mssql_failover_group")


@pytest.mark.parametrize(
    "case",
    [
        "pass_azure_flexible_server_replica",
        "pass_azure_sql_failover_group",
        "pass_azure_sql_failover_group_unknown_databases",
        "pass_azure_sql_geo_replica",
    ],
)
def test_replicas_groups_and_unknown_groups_are_quiet(case: str) -> None:
    assert findings(FOLDER, case, "RES103") == []


def test_a_failover_group_that_fails_over_only_by_hand_is_a_note() -> None:
    found = findings(FOLDER, "fail_azure_sql_failover_group_manual", "RES103")
    assert where(found) == [("azurerm_mssql_failover_group.shop", "main.tf", 30)]
    (note,) = found
    assert note.severity.value == "note"
    assert note.message == (
        'azurerm_mssql_failover_group.shop fails over only when someone triggers it (read_write_endpoint_failover_policy '
        '{ mode = "Manual" }): when westeurope fails, its databases accept no writes until a person (or automation of '
        "yours) fails the group over to northeurope"
    )
    assert note.fix is not None and 'mode = "Automatic" with grace_minutes' in note.fix


def test_site_recoverys_cache_account_is_the_replications_plumbing() -> None:
    found = findings(FOLDER, "fail_azure_storage_beside_site_recovery_cache", "RES103")
    assert where(found) == [("azurerm_storage_account.data", "main.tf", 45)]


def test_buckets_that_receive_cloudwatch_exports_through_firehose_hold_telemetry() -> None:
    from resilint.discover import discover
    from resilint.parsers import ParseOptions, build_project
    from resilint.relations.replication import stores

    folder = Path(__file__).resolve().parents[2] / "fixtures" / FOLDER / "pass_s3_cloudwatch_exports_through_firehose"
    found = discover([folder])
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    purposes = {s.address: s.purpose for s in stores(unit)}
    assert purposes == {
        "aws_s3_bucket.metrics": "receives the CloudWatch metrics of the metric stream aws_cloudwatch_metric_stream.all "
        "(through aws_kinesis_firehose_delivery_stream.metrics)",
        "aws_s3_bucket.log_backup": "receives the logs of the subscription filter aws_cloudwatch_log_subscription_filter.app "
        "(through aws_kinesis_firehose_delivery_stream.logs)",
    }


def test_a_bucket_another_root_serves_a_site_from_or_logs_into_is_secondary_data() -> None:
    # The CloudFront distribution (default root object) and the load balancer are in roots that
    # read the shared root's state: they say what the shared root's buckets hold, as in one root.
    from resilint.config import Settings
    from resilint.relations.replication import stores
    from resilint.scan import load_project, with_systems

    folder = FIXTURES / FOLDER / "pass_s3_site_origin_and_log_bucket_of_a_reading_root"
    settings = Settings()
    project = with_systems(load_project([folder], settings, ParseOptions()), settings)
    units = {u.id.rsplit("/", 1)[-1]: u for u in project.units}  # ids are relative to where the tests run
    purposes = {s.address: s.purpose for s in stores(units["shared"])}
    assert purposes == {
        "aws_s3_bucket.static_site": (
            "hosts a static website through CloudFront (the origin of aws_cloudfront_distribution.site in "
            f"{units['edge'].id}'s default root object)"
        ),
        "aws_s3_bucket.lb_logs": f"receives the access logs of aws_lb.api in {units['app'].id}",
    }
    assert findings(FOLDER, "pass_s3_site_origin_and_log_bucket_of_a_reading_root", "RES103") == []


def test_a_data_bucket_another_root_writes_to_is_still_judged() -> None:
    found = findings(FOLDER, "fail_s3_data_bucket_a_reading_root_writes_to", "RES103")
    assert where(found) == [("aws_s3_bucket.orders", "main.tf", 15)]
    assert found[0].path.endswith("fail_s3_data_bucket_a_reading_root_writes_to/shared/main.tf")


def test_a_region_switch_plans_report_buckets_hold_its_execution_reports() -> None:
    from resilint.discover import discover
    from resilint.parsers import build_project
    from resilint.relations.replication import stores

    found = discover([FIXTURES / FOLDER / "pass_cfn_region_switch_plan_report_bucket"])
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    assert {s.address: s.purpose for s in stores(unit)} == {
        "ReportBucket": "receives the execution reports of RegionSwitchPlan",
        "AuditReportBucket": "receives the execution reports of RegionSwitchPlan",  # "bucket/prefix"
    }
    failing = findings(FOLDER, "fail_cfn_data_bucket_beside_region_switch_plan_reports", "RES103")
    assert [(f.rule_id, f.resource, Path(f.path).name, f.line) for f in failing] == [("RES103", "OrdersBucket", "plan.yaml", 15)]


@pytest.mark.parametrize(
    "case",
    ["pass_s3_log_bucket_heredoc_policy_with_unknown_lookups", "pass_s3_log_bucket_policy_reading_generated_variables"],
)
def test_a_heredoc_log_policy_with_an_unknown_account_lookup_still_says_who_writes(case: str) -> None:
    # `arn:aws:iam::${var.elb_account_ids[var.region]}:root`: the account is not known (the
    # variables have no value, or are declared only by a file Terragrunt generates), the rest
    # of the policy is: the log delivery service writes.
    from resilint.discover import discover
    from resilint.model import UnknownDocument
    from resilint.parsers import build_project
    from resilint.relations.replication import stores

    found = discover([FIXTURES / FOLDER / case])
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    policy = unit.resource("aws_s3_bucket_policy.alb_logs").attributes["policy"]  # type: ignore[union-attr]
    assert isinstance(policy, UnknownDocument)
    assert policy.document["Statement"][1]["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert {s.address: s.purpose for s in stores(unit)} == {
        "aws_s3_bucket.alb_logs": "receives logs from delivery.logs.amazonaws.com (bucket policy)"
    }
    assert findings(FOLDER, case, "RES103") == []


def test_a_heredoc_policy_letting_a_looked_up_partner_account_write_is_still_judged() -> None:
    found = findings(FOLDER, "fail_s3_heredoc_policy_with_unknown_lookups_for_another_account", "RES103")
    assert [(f.rule_id, f.resource, Path(f.path).name, f.line) for f in found] == [
        ("RES103", "aws_s3_bucket.partner_drop", "main.tf", 15)
    ]


def test_a_bucket_a_terragrunt_dependent_unit_serves_a_site_from_is_secondary_data() -> None:
    # The edge unit reads the shared unit's bucket through `dependency.shared.outputs`.
    from resilint.model import Unit

    case = "pass_s3_site_origin_of_a_terragrunt_dependent_unit"
    assert findings(FOLDER, case, "RES103") == []
    referrers = Unit.referrers
    try:  # without what the dependent unit does with it, the bucket is judged as data
        Unit.referrers = lambda self: []  # type: ignore[method-assign]
        assert where(findings(FOLDER, case, "RES103")) == [("aws_s3_bucket.static_site", "main.tf", 5)]
    finally:
        Unit.referrers = referrers  # type: ignore[method-assign]


def test_a_gcs_bucket_another_root_logs_into_is_secondary_data_and_nothing_fails() -> None:
    # The app root's sink and IAM member name the shared root's bucket through its state: the
    # shared root learns what the bucket holds, and the app root's marks of another root's bucket
    # never raised (they were looked up among its own buckets: RES002 on both roots).
    from resilint.testing import lint_case

    case = FIXTURES / FOLDER / "pass_gcs_log_bucket_of_a_reading_root"
    assert [(f.rule_id, f.resource) for f in lint_case(case) if f.rule_id in ("RES002", "RES103")] == []
    found = findings(FOLDER, "fail_gcs_data_bucket_a_reading_root_reads", "RES103")
    assert where(found) == [("google_storage_bucket.orders", "main.tf", 18)]
    assert found[0].path.endswith("fail_gcs_data_bucket_a_reading_root_reads/shared/main.tf")
