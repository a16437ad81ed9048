"""The zonal-redundancy rules (RES302-RES306): messages, relations, and unknowns that never fire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resilint.config import Settings
from resilint.discover import discover
from resilint.engine import run
from resilint.model import Location, Project, Resource, Unit, Unknown
from resilint.parsers import ParseOptions, build_project
from resilint.registry import load_rules
from resilint.relations import databases, network
from resilint.rule import Severity
from tests.conftest import REPO, write

RULE_IDS = ("RES302", "RES303", "RES304", "RES305", "RES306")
FIXTURE_FOLDERS = (
    "database_without_multi_az",
    "single_nat_gateway",
    "single_az_compute",
    "single_az_load_balancer",
    "cdn_without_origin_failover",
)
RULES = [r for r in load_rules().rules if r.id in RULE_IDS]


def _project(root: Path) -> Project:
    found = discover([root], (), 20 << 20)
    return build_project(found.files, found.problems, ParseOptions())


def _findings(project: Project) -> list[Any]:
    return run(project, RULES, Settings(select=RULE_IDS))


def _scan(tmp_path: Path, files: dict[str, str]) -> list[Any]:
    write(tmp_path, files)
    return _findings(_project(tmp_path))


# Messages ---------------------------------------------------------------------------------------


def test_nat_gateway_message_names_zones_tables_and_fix(repo: Path) -> None:
    (finding,) = _findings(_project(repo / "fixtures/single_nat_gateway/fail_route_per_table"))
    assert finding.message == (
        "aws_nat_gateway.one is a zonal NAT gateway that carries the outbound traffic of subnets in 2 "
        "availability zones (us-east-1a, us-east-1b) through aws_route_table.private_a, aws_route_table.private_b: "
        "when us-east-1a fails, subnets in us-east-1b lose their egress too"
    )
    assert finding.resource == "aws_nat_gateway.one" and finding.line == 23
    assert 'availability_mode = "regional"' in finding.fix


def test_cloudformation_fix_uses_cloudformation_names(repo: Path) -> None:
    (finding,) = _findings(_project(repo / "fixtures/single_nat_gateway/fail_cfn_shared_nat"))
    assert "AvailabilityMode: regional" in finding.fix
    assert "eu-west-1a" in finding.message and "eu-west-1b" in finding.message


def test_compute_messages_say_which_argument_and_zone(repo: Path) -> None:
    by_resource = {
        f.resource: f
        for f in _findings(_project(repo / "fixtures/single_az_compute/fail_ecs_service_and_eks_node_group"))
    }
    assert by_resource["aws_eks_node_group.default"].message.startswith(
        "aws_eks_node_group.default runs its nodes in one subnet "
        "(subnet_ids = aws_subnet.private[0]), in ap-northeast-1c"
    )
    assert by_resource["aws_ecs_service.api"].message.startswith(
        "aws_ecs_service.api runs its tasks in subnets of one availability zone, ap-northeast-1c "
        "(network_configuration.subnets = aws_subnet.private[0], aws_subnet.private[1])"
    )
    assert by_resource["aws_ecs_service.api"].fix.endswith("in network_configuration.subnets")


def test_single_unknown_subnet_is_still_one_subnet(tmp_path: Path) -> None:
    (finding,) = _scan(
        tmp_path,
        {
            "main.tf": """
variable "subnet_id" {}
resource "aws_autoscaling_group" "web" {
  min_size             = 1
  max_size             = 2
  vpc_zone_identifier  = [var.subnet_id]
  launch_configuration = "web"
}
"""
        },
    )
    assert "one subnet (vpc_zone_identifier has one entry)" in finding.message


def test_load_balancer_cross_zone_message_lists_targets(repo: Path) -> None:
    (finding,) = _findings(_project(repo / "fixtures/single_az_load_balancer/fail_nlb_targets_in_one_zone"))
    assert "cross-zone load balancing off" in finding.message
    assert "(aws_instance.server[0], aws_instance.server[1]) run in eu-west-1a" in finding.message
    assert "enable_cross_zone_load_balancing = true" in finding.fix


def test_classic_load_balancer_fix_names_its_own_argument(repo: Path) -> None:
    by_resource = {
        f.resource: f
        for f in _findings(_project(repo / "fixtures/single_az_load_balancer/fail_cfn_network_load_balancer"))
    }
    assert by_resource["Classic"].fix.endswith("in Subnets")
    assert by_resource["Nlb"].fix.endswith("in Subnets or SubnetMappings")
    (classic,) = _findings(_project(repo / "fixtures/single_az_load_balancer/fail_classic_elb"))
    assert classic.fix.endswith("in availability_zones")


def test_database_messages_say_what_is_off(repo: Path) -> None:
    findings = {
        f.resource: f
        for f in _findings(_project(repo / "fixtures/database_without_multi_az/fail_elasticache_without_failover"))
    }
    assert findings["aws_elasticache_replication_group.sessions"].message.startswith(
        "aws_elasticache_replication_group.sessions has no automatic failover "
        "(automatic_failover_enabled is not set; the default is false)"
    )
    assert (
        "(number_cache_clusters = 1: one node, no replica)"
        in findings["aws_elasticache_replication_group.single"].message
    )
    assert "(replicas_per_node_group = 0)" in findings["aws_elasticache_replication_group.sharded"].message


def test_cluster_in_one_zone_is_a_note_and_single_instance_a_warning(repo: Path) -> None:
    (note,) = _findings(_project(repo / "fixtures/database_without_multi_az/fail_aurora_instances_in_one_zone"))
    assert note.severity is Severity.NOTE
    warnings = _findings(_project(repo / "fixtures/database_without_multi_az/fail_aurora_one_instance"))
    assert {f.severity for f in warnings} == {Severity.WARNING}
    assert warnings[0].message.startswith(
        'aws_rds_cluster.orders has one instance (aws_rds_cluster_instance.orders["writer"])'
    )


def test_same_zone_standby_is_a_note(repo: Path) -> None:
    findings = {
        f.resource: f
        for f in _findings(_project(repo / "fixtures/database_without_multi_az/fail_azure_flexible_servers"))
    }
    assert findings["azurerm_mysql_flexible_server.catalog"].severity is Severity.NOTE
    assert findings["azurerm_postgresql_flexible_server.orders"].severity is Severity.WARNING


def test_sql_server_express_fix_names_the_editions(tmp_path: Path) -> None:
    (finding,) = _scan(
        tmp_path,
        {
            "main.tf": 'resource "aws_db_instance" "legacy" {\n  engine = "sqlserver-ex"\n}\n',
        },
    )
    assert (
        finding.message
        == "aws_db_instance.legacy runs in one availability zone (multi_az is not set; the default is false)"
    )
    assert "sqlserver-se" in finding.fix and "does not support Multi-AZ" in finding.fix


def test_burstable_flexible_server_fix_names_the_tier(tmp_path: Path) -> None:
    (finding,) = _scan(
        tmp_path,
        {"main.tf": 'resource "azurerm_postgresql_flexible_server" "dev" {\n  sku_name = "B_Standard_B1ms"\n}\n'},
    )
    assert "not Burstable" in finding.fix


def test_cdn_note_names_the_origin(repo: Path) -> None:
    (finding,) = _findings(_project(repo / "fixtures/cdn_without_origin_failover/fail_s3_origin"))
    assert finding.severity is Severity.NOTE
    assert finding.message.startswith(
        'aws_cloudfront_distribution.site sends its default traffic to a single origin, "site" (aws_s3_bucket.site)'
    )


# Relations --------------------------------------------------------------------------------------


def _entry(identity: str, zone: network.Zone | None) -> network.Entry:
    return network.Entry(identity=identity, label=identity, zone=zone)


def test_span_one_zone_needs_evidence() -> None:
    a, b = network.Zone("name", "eu-west-1a"), network.Zone("name", "eu-west-1b")
    assert network.Span((_entry("s1", None),)).one_zone  # one subnet is one zone
    assert network.Span((_entry("s1", None), _entry("s1", None))).one_zone  # the same subnet twice
    assert network.Span((_entry("s1", a), _entry("s2", a))).one_zone
    assert not network.Span((_entry("s1", a), _entry("s2", None))).one_zone
    assert not network.Span((_entry("s1", a), _entry("s2", b))).one_zone
    assert not network.Span(()).one_zone


def test_zone_names_and_ids_are_not_compared() -> None:
    name, zone_id = network.Zone("name", "us-east-1a"), network.Zone("id", "use1-az2")
    mixed = network.Span((_entry("s1", name), _entry("s2", zone_id)))
    assert not mixed.one_zone
    assert mixed.zone_count() == 1  # one of each kind: two zones are not proven


def test_nat_egress_follows_routes_through_modules(repo: Path) -> None:
    (unit,) = _project(repo / "fixtures/single_nat_gateway/fail_via_module").units
    (egress,) = network.nat_egress(unit)
    assert egress.gateway.address == "module.network.aws_nat_gateway.this[0]"
    assert egress.zone == network.Zone("name", "eu-central-1a")
    assert [z.value for z in egress.subnets.zones] == ["eu-central-1a", "eu-central-1b"]
    assert egress.route_tables == ("module.network.aws_route_table.private[0]",)


def test_cluster_membership_by_reference_and_identifier(repo: Path) -> None:
    (unit,) = _project(repo / "fixtures/database_without_multi_az/fail_aurora_one_instance").units
    members = databases.cluster_members(unit)
    assert [m.address for m in members["aws_rds_cluster.orders"].members] == [
        'aws_rds_cluster_instance.orders["writer"]'
    ]
    assert [m.address for m in members["aws_rds_cluster.sessions"].members] == ["aws_rds_cluster_instance.sessions"]
    assert members["aws_rds_cluster.orders"].complete


def test_instance_of_unknown_cluster_makes_membership_incomplete(repo: Path) -> None:
    (unit,) = _project(repo / "fixtures/database_without_multi_az/pass_cluster_member_not_known").units
    assert not databases.cluster_members(unit)["aws_rds_cluster.orders"].complete


# Unknown values never add a warning ------------------------------------------------------------


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in an attribute value that can be made unknown: the value itself, and each
    item of its blocks and lists, three levels deep."""
    yield path
    if len(path) >= 3:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


def _warnings(project: Project) -> set[tuple[str, str | None]]:
    findings = _findings(project)
    assert not [f for f in findings if f.rule_id == "RES002"], findings
    return {(f.rule_id, f.resource) for f in findings if f.severity is not Severity.NOTE}


def _units() -> list[Any]:
    cases = []
    for folder in FIXTURE_FOLDERS:
        for case in sorted((REPO / "fixtures" / folder).iterdir()):
            if case.is_dir():
                cases.append(pytest.param(case, id=f"{folder}/{case.name}"))
    return cases


def _with_resources(unit: Unit, resources: tuple[Resource, ...]) -> Unit:
    # A new Unit, not model_copy: a copy would share the original's index and derived cache.
    return Unit(
        id=unit.id,
        source=unit.source,
        location=unit.location,
        files=unit.files,
        resources=resources,
        providers=unit.providers,
        deploy_regions=unit.deploy_regions,
        notes=unit.notes,
    )


@pytest.mark.parametrize("case", _units())
def test_making_any_value_unknown_never_adds_a_warning(case: Path) -> None:
    """Monotonic in what is known: replacing any argument (or any item of a block or list) of
    any resource with an unknown may silence a warning, never raise a new one."""
    project = _project(case)
    for unit in project.units:
        before = _warnings(Project(units=(unit,)))
        for index, resource in enumerate(unit.resources):
            for name, value in resource.attributes.items():
                for path in _paths(value):
                    changed = resource.model_copy(
                        update={
                            "attributes": {**resource.attributes, name: _replace(value, path, Unknown("made unknown"))}
                        }
                    )
                    resources = (*unit.resources[:index], changed, *unit.resources[index + 1 :])
                    after = _warnings(Project(units=(_with_resources(unit, resources),)))
                    assert after <= before, (resource.address, name, path, after - before)


def test_a_model_built_by_hand_is_judged_like_a_parsed_one() -> None:
    """Rules read only the model: a plan-like resource with its zone list is enough."""
    group = Resource(
        source="terraform",
        type="aws_autoscaling_group",
        address="aws_autoscaling_group.batch",
        unit=".",
        provider="aws",
        cloud="aws",
        attributes={"availability_zones": ["eu-west-1a"], "max_size": 3},
        location=Location(path="main.tf", line=1, end_line=5),
    )
    unit = Unit(id=".", source="terraform", location=group.location, resources=(group,))
    assert _warnings(Project(units=(unit,))) == {("RES304", "aws_autoscaling_group.batch")}
