"""Relations skip the work that cannot change what they find: a unit without a bucket, storage
account or NAT gateway is not walked for their purposes or routes, a resource type's role is
decided once, and a unit's footprint reads its website and secondary-data sets once. What they
find is checked by the rules' fixtures; these tests check the work is not done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from resilint.discover import discover
from resilint.model import Unit
from resilint.parsers import ParseOptions, build_project
from resilint.relations import footprint as footprint_module
from resilint.relations import network
from resilint.relations.replication import azure, google, s3, stores
from tests.conftest import write


def _unit(root: Path, files: dict[str, str]) -> Unit:
    write(root, files)
    found = discover([root], (), 20 << 20)
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    return unit


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    calls: list[int] = []
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


_LOAD_BALANCER = """
resource "aws_lb" "web" {
  name = "web"
  access_logs {
    bucket  = "logs-elsewhere"
    enabled = true
  }
}
resource "google_logging_project_sink" "sink" {
  name        = "sink"
  destination = "storage.googleapis.com/logs-elsewhere"
}
resource "azurerm_monitor_diagnostic_setting" "diagnostics" {
  name               = "diagnostics"
  target_resource_id = "x"
  storage_account_id = "y"
}
"""


def test_a_unit_without_buckets_or_accounts_is_not_walked_for_their_purposes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = _unit(tmp_path / "none", {"main.tf": _LOAD_BALANCER})
    s3_nested = _counting(monkeypatch, s3, "nested")
    google_nested = _counting(monkeypatch, google, "nested")
    accounts_named = _counting(monkeypatch, azure, "block_instances")
    assert stores(unit) == ()
    assert not s3_nested and not google_nested and not accounts_named
    # with a bucket of its own, the load balancer's logs are read for the bucket's sake
    unit = _unit(tmp_path / "bucket", {"main.tf": _LOAD_BALANCER + 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs-elsewhere"\n}\n'})
    (store,) = stores(unit)
    assert s3_nested and store.purpose == "receives the access logs of aws_lb.web"


def test_routes_and_subnets_are_read_only_for_nat_gateways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    routes = _counting(monkeypatch, network, "_nat_routes")
    unit = _unit(
        tmp_path,
        {"main.tf": 'resource "aws_route_table" "private" {\n  vpc_id = "vpc-1"\n}\nresource "aws_route" "out" {\n  route_table_id = aws_route_table.private.id\n  gateway_id = "igw-1"\n}\n'},
    )
    assert network.nat_egress(unit) == ()
    assert not routes


def test_a_types_role_is_decided_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    decided = _counting(monkeypatch, footprint_module, "_role_of_type")
    monkeypatch.setattr(footprint_module, "_ROLE_OF_TYPE", {})
    unit = _unit(tmp_path, {"main.tf": "".join(f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q{i}"\n}}\n' for i in range(5))})
    roles = {footprint_module.role(resource) for resource in unit.resources}
    assert roles == {"other"} and len(decided) == 1


def test_a_footprint_reads_the_units_websites_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    unit = _unit(tmp_path, {"main.tf": "".join(f'resource "aws_instance" "web{i}" {{\n  ami = "ami-1"\n}}\n' for i in range(5))})
    websites = _counting(monkeypatch, footprint_module, "_websites")
    built = footprint_module.footprint(unit)
    assert len(built.serving) == 5 and len(websites) == 1


def test_a_stack_whose_region_is_not_known_has_no_serving_footprint_to_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from resilint.relations import serving

    template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n"
    unit = _unit(tmp_path, {"stack.yaml": template})
    pinned = _counting(monkeypatch, serving, "satellites")
    found = serving.serving_footprint(unit)
    assert not found.known and found.serving == {} and not pinned


def test_a_bucket_of_another_stack_that_logs_into_this_ones_is_judged_in_its_own(tmp_path: Path) -> None:
    """A stack's bucket with the LogDeliveryWrite ACL that logs into a bucket another stack
    exports: the exporter's bucket receives its access logs, and the ACL is the importer's
    bucket's own purpose (it raised a KeyError in the exporter's purposes: RES002 on both)."""
    exporter = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\nOutputs:\n  LogsName:\n    Value: !Ref Logs\n    Export:\n      Name: shared-logs\n"
    importer = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n"
        "      AccessControl: LogDeliveryWrite\n      LoggingConfiguration:\n        DestinationBucketName: !ImportValue shared-logs\n"
    )
    write(tmp_path, {"a.yaml": exporter, "b.yaml": importer})
    found = discover([tmp_path], (), 20 << 20)
    project = build_project(found.files, found.problems, ParseOptions())
    from resilint.systems import find_systems

    project = find_systems(project)
    units = {unit.id.rsplit("/", 1)[-1]: unit for unit in project.units}
    (logs,) = stores(units["a.yaml"])
    (site,) = stores(units["b.yaml"])
    assert logs.purpose is not None and logs.purpose.startswith("receives the access logs of Site in")
    assert site.purpose == "has the LogDeliveryWrite ACL"


def test_a_diagnostic_setting_writing_to_another_roots_account_breaks_no_rule() -> None:
    """A diagnostic setting whose storage account is another root's (read through a remote
    state) raised a KeyError in its unit's Azure purposes: RES002 for every rule reading stores,
    on both roots. The account is judged in its own root (which does not read the setting's
    purpose from there yet, as S3 purposes read a reading root's resources)."""
    import io
    import json
    from contextlib import redirect_stdout

    from resilint.cli import main

    folder = Path(__file__).resolve().parents[1] / "data" / "azure_cross_root_diagnostics"
    out = io.StringIO()
    with redirect_stdout(out):
        main(["scan", str(folder), "--no-cache", "--format", "json", "--severity", "error,warning,note"])
    findings = json.loads(out.getvalue())["findings"]
    assert not [f for f in findings if f["rule_id"] == "RES002"]
    assert ("RES103", "azurerm_storage_account.data") in {(f["rule_id"], f["resource"]) for f in findings}
