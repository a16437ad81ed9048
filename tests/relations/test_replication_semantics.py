"""Issue 13, rule semantics of RES103: what the replication relations decide, read from the
fixtures (the findings themselves are asserted by tests/rules/test_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

from resilint.discover import discover
from resilint.model import Unit
from resilint.parsers import ParseOptions, build_project
from resilint.relations import replication

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "no_cross_region_replication"


def _unit(case: str) -> Unit:
    found = discover([FIXTURES / case], (), 20 << 20)
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    return unit


def _store(unit: Unit, address: str) -> replication.Store:
    store = replication.store_of(unit, address)
    assert store is not None, address
    return store


def test_a_terraform_lock_table_is_secondary_data() -> None:
    unit = _unit("fail_data_table_beside_lock_table")
    assert _store(unit, "aws_dynamodb_table.terraform_locks").purpose is not None
    assert "LockID" in str(_store(unit, "aws_dynamodb_table.terraform_locks").purpose)
    assert _store(unit, "aws_dynamodb_table.orders").purpose is None


def test_a_cloudformation_lock_table_is_secondary_data() -> None:
    unit = _unit("pass_cfn_terraform_lock_table")
    assert _store(unit, "LockTable").purpose is not None


def test_cloud_sql_backups_without_a_location_are_a_copy_outside_the_region() -> None:
    store = _store(_unit("pass_cloud_sql_backups_in_nearest_multi_region"), "google_sql_database_instance.orders")
    assert [(c.region, c.kind) for c in store.copies] == [(None, "backup")]
    assert store.replicated and store.replica_regions == ()


def test_cloud_sql_without_backups_has_no_copy_and_unknown_backups_are_undecided() -> None:
    unit = _unit("fail_cloud_sql_backups_disabled")
    assert not _store(unit, "google_sql_database_instance.orders").replicated
    assert not _store(unit, "google_sql_database_instance.billing").replicated
    unknown = _store(_unit("pass_cloud_sql_backups_unknown"), "google_sql_database_instance.orders")
    assert unknown.undecided is not None and not unknown.replicated


def test_an_unknown_destination_leaves_only_its_source_undecided() -> None:
    unit = _unit("fail_s3_unknown_destination_other_bucket")
    assert _store(unit, "aws_s3_bucket.invoices").undecided is not None
    assert _store(unit, "aws_s3_bucket.reports").undecided is None


def test_a_flow_log_written_through_azapi_exempts_its_storage_account() -> None:
    unit = _unit("pass_azapi_flow_log_storage")
    for address in ("azurerm_storage_account.flow_logs", "azurerm_storage_account.flow_logs_v1"):
        purpose = _store(unit, address).purpose
        assert purpose is not None and "flow logs of azapi_resource." in purpose, address


def test_buckets_that_grant_cloudfront_log_delivery_receive_cloudfront_logs() -> None:
    unit = _unit("pass_cloudfront_log_bucket_by_grant")
    for address in ("aws_s3_bucket.cdn_logs", "aws_s3_bucket.legacy_cdn_logs"):
        purpose = _store(unit, address).purpose
        assert purpose is not None and "CloudFront" in purpose, address
    acl = unit.resource("aws_s3_bucket_acl.cdn_logs")
    assert acl is not None
    grantee = acl.attributes["access_control_policy"][0]["grant"][1]["grantee"][0]["id"]
    assert grantee == "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"


def test_function_runtime_storage_through_an_endpoint_or_a_key_vault_secret() -> None:
    unit = _unit("pass_azure_function_storage_indirect")
    assert "azurerm_function_app_flex_consumption.orders" in str(_store(unit, "azurerm_storage_account.flex").purpose)
    assert "azurerm_windows_function_app.billing" in str(_store(unit, "azurerm_storage_account.runtime").purpose)


def test_azure_static_websites_are_secondary_data() -> None:
    unit = _unit("pass_azure_static_website")
    assert _store(unit, "azurerm_storage_account.site").purpose == "hosts a static website"
    assert "azurerm_storage_account_static_website.docs" in str(_store(unit, "azurerm_storage_account.docs").purpose)
