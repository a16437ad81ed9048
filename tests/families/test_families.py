"""The family tables and the member API."""

from __future__ import annotations

import re

import pytest

from resilint.arguments import DEFAULT
from resilint.families import FAMILIES
from resilint.families.base import CLOUDFORMATION, TERRAFORM, Family, cloudformation, terraform
from resilint.families.databases import DATABASES
from resilint.model import Location, Resource, Unit, Unknown

_AT = Location(path="main.tf", line=1, end_line=1)


def _resource(type_: str, source: str = "terraform", **attributes: object) -> Resource:
    return Resource(
        source=source,  # type: ignore[arg-type]
        type=type_,
        address=f"{type_}.x",
        unit="u",
        provider="aws",
        cloud="aws",
        attributes=dict(attributes),
        location=_AT,
    )


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_spelling_names_its_source_correctly(family: Family) -> None:
    for spelling in family.spellings:
        if spelling.source == CLOUDFORMATION:
            assert re.fullmatch(r"[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+", spelling.type), spelling.type
        else:
            assert spelling.source == TERRAFORM
            assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", spelling.type), spelling.type
        assert spelling.kind and re.fullmatch(r"[a-z0-9_]+", spelling.kind), spelling.kind
        for role, names in spelling.arguments.items():
            assert names and all(names), (spelling.type, role)


def test_a_type_spelled_twice_in_one_family_is_refused() -> None:
    with pytest.raises(ValueError, match="spelled twice"):
        Family("x", (terraform("aws_db_instance", "a"), terraform("aws_db_instance", "b")))


def test_members_read_their_own_source_spelling() -> None:
    tf = DATABASES.member(_resource("aws_db_instance", multi_az=False))
    cfn = DATABASES.member(_resource("AWS::RDS::DBInstance", "cloudformation", MultiAZ="false"))
    assert tf is not None and cfn is not None
    assert (tf.kind, cfn.kind) == ("db_instance", "db_instance")
    assert tf.setting("multi_az") == ("multi_az", False)
    assert cfn.setting("multi_az") == ("MultiAZ", "false")
    assert tf.assignment("multi_az", "true") == "multi_az = true"
    assert cfn.assignment("multi_az", "true") == "MultiAZ: true"


def test_absent_is_the_default_in_configuration_and_unknown_in_a_plan() -> None:
    configured = DATABASES.member(_resource("aws_db_instance"))
    planned = DATABASES.member(_resource("aws_db_instance", "terraform-plan"))
    assert configured is not None and planned is not None
    assert configured.setting("multi_az")[1] is DEFAULT
    assert isinstance(planned.setting("multi_az")[1], Unknown)
    assert planned.may_be_set("replica_source") is True
    assert configured.may_be_set("replica_source") is False


def test_an_older_spelling_is_read_when_the_current_one_is_absent() -> None:
    family = Family("f", (terraform("t_x", "k", zones=("zones", "availability_zones")),))
    member = family.member(_resource("t_x", availability_zones=["1"]))
    assert member is not None
    assert member.setting("zones") == ("availability_zones", ["1"])
    assert member.value("zones") == ["1"]


def test_a_role_the_source_does_not_have_is_an_error_not_a_silent_none() -> None:
    family = Family("f", (cloudformation("A::B::C", "k"),))
    member = family.member(_resource("A::B::C", "cloudformation"))
    assert member is not None and not member.has("zones")
    with pytest.raises(KeyError, match="no argument for the role"):
        member.value("zones")


def test_members_of_a_unit_in_source_order_by_kind() -> None:
    resources = (
        _resource("aws_rds_cluster_instance"),
        _resource("aws_db_instance"),
        _resource("aws_s3_bucket"),
    )
    unit = Unit(id="u", source="terraform", location=_AT, resources=resources)
    assert [m.resource.type for m in DATABASES.members(unit)] == ["aws_rds_cluster_instance", "aws_db_instance"]
    assert [m.resource.type for m in DATABASES.members(unit, "db_instance")] == ["aws_db_instance"]
    assert DATABASES.type_of("global_cluster", CLOUDFORMATION) == "AWS::RDS::GlobalCluster"


def test_resources_of_types_asked_for_in_source_order_whichever_the_unit_holds() -> None:
    """A unit asked for several types gives those it holds in source order (interleaved when
    it holds several), the list of the one it holds, or nothing; members follow it."""
    resources = (
        _resource("aws_db_instance"),
        _resource("aws_s3_bucket"),
        _resource("aws_rds_cluster_instance"),
        _resource("aws_db_instance"),
    )
    unit = Unit(id="u", source="terraform", location=_AT, resources=resources)
    both = ("aws_rds_cluster_instance", "aws_db_instance", "aws_dynamodb_table")
    assert [r.type for r in unit.resources_of(both)] == ["aws_db_instance", "aws_rds_cluster_instance", "aws_db_instance"]
    assert [r.type for r in unit.resources_of(("aws_dynamodb_table", "aws_s3_bucket"))] == ["aws_s3_bucket"]
    assert list(unit.resources_of(("aws_dynamodb_table", "aws_lambda_function"))) == []
    assert list(unit.of_type(*both)) == list(unit.resources_of(both))
    assert [m.resource.type for m in DATABASES.members(unit, "db_instance")] == ["aws_db_instance", "aws_db_instance"]
    empty = Unit(id="e", source="terraform", location=_AT)
    assert list(DATABASES.members(empty)) == []
    assert next(DATABASES.members(empty), None) is None, "an iterator, as before"
