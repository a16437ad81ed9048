"""What a build keeps in memory: units share what they repeat, and a unit's evaluation is freed
as soon as the unit is built (not left in reference cycles for the garbage collector)."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from resilint.discover import discover
from resilint.model import Unit
from resilint.parsers import ParseOptions, build_project
from resilint.parsers.compact import Compactor
from resilint.parsers.terraform.loader import TerraformOptions, load_units
from resilint.parsers.terraform.module_instance import ModuleInstance
from tests.conftest import write

MODULE_CALLS = {
    "live/a/main.tf": (
        'provider "aws" { region = "eu-west-1" }\n'
        'module "net" {\n  source = "../../modules/net"\n  cidr   = "10.0.0.0/16"\n}\n'
        'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  db_subnet_group_name = module.net.subnet_ids[0]\n}\n'
    ),
    "live/b/main.tf": (
        'provider "aws" { region = "eu-west-1" }\n'
        'module "net" {\n  source = "../../modules/net"\n  cidr   = "10.1.0.0/16"\n}\n'
    ),
    "modules/net/main.tf": (
        'variable "cidr" {}\n'
        'resource "aws_vpc" "this" {\n  cidr_block = var.cidr\n}\n'
        'resource "aws_subnet" "private" {\n  count      = 2\n  vpc_id     = aws_vpc.this.id\n'
        '  cidr_block = cidrsubnet(var.cidr, 8, count.index)\n}\n'
        'output "subnet_ids" {\n  value = aws_subnet.private[*].id\n}\n'
    ),
}


def _units(root: Path) -> list[Unit]:
    found = discover([root])
    return list(build_project(found.files, found.problems, ParseOptions(parallel=False)).units)


def test_compacted_units_are_equal_and_share_what_they_repeat(tmp_path: Path) -> None:
    write(tmp_path, MODULE_CALLS)
    built = _units(tmp_path)
    # Units as they arrive from a worker process or the cache: every string a copy of its own.
    arrived = [pickle.loads(pickle.dumps(unit)) for unit in built]
    a, b = arrived
    assert a.resources[1].provider is not b.resources[0].provider
    compactor = Compactor()
    compacted = [compactor.unit(unit) for unit in arrived]
    assert [unit.model_dump() for unit in compacted] == [unit.model_dump() for unit in built]
    a, b = compacted
    vpc_a = next(r for r in a.resources if r.type == "aws_vpc")
    vpc_b = next(r for r in b.resources if r.type == "aws_vpc")
    assert vpc_a.provider is vpc_b.provider and vpc_a.address is vpc_b.address
    assert vpc_a.__pydantic_fields_set__ is vpc_b.__pydantic_fields_set__
    subnets = [r for r in [*a.resources, *b.resources] if r.type == "aws_subnet"]
    assert len(subnets) == 4
    # The same reference (each subnet's vpc_id) is one object.
    assert len({id(r.references[0]) for r in subnets}) == 1


def test_a_copy_of_a_compacted_resource_does_not_change_the_others(tmp_path: Path) -> None:
    write(tmp_path, MODULE_CALLS)
    compactor = Compactor()
    a, b = (compactor.unit(pickle.loads(pickle.dumps(unit))) for unit in _units(tmp_path))
    vpc_a = next(r for r in a.resources if r.type == "aws_vpc")
    vpc_b = next(r for r in b.resources if r.type == "aws_vpc")
    given = set(vpc_b.model_fields_set)
    copied = vpc_a.model_copy(update={"count_unknown": True})
    assert "count_unknown" in copied.model_fields_set
    assert vpc_b.model_fields_set == given


def test_a_built_unit_leaves_no_module_instance_for_the_collector(tmp_path: Path) -> None:
    write(tmp_path, MODULE_CALLS)
    folders: dict[Path, list[Path]] = {}
    for path in sorted(tmp_path.rglob("*.tf")):
        folders.setdefault(path.parent, []).append(path)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loaded = load_units(folders, TerraformOptions())
        left = [o for o in gc.get_objects() if isinstance(o, ModuleInstance)]
    finally:
        if was_enabled:
            gc.enable()
    assert len(loaded.units) == 2
    assert left == [], "module instances are freed by reference counting once their unit is built"
