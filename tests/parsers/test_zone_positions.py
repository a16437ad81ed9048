"""Zones chosen by position in the region's zone list (`ZoneList`, `UnknownZone`).

`!Select [0, !GetAZs '']` and `data.aws_availability_zones.available.names[0]` do not name a zone,
but two subnets at the same position of the same list share one, and two positions are two
zones. Everything else about them stays unknown.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from resilint.discover import discover
from resilint.model import Unknown, UnknownZone, ZoneList
from resilint.parsers import ParseOptions, build_project
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS
from tests.conftest import write

NAMES = ZoneList("read at apply time", "data.aws_availability_zones.a.names", "name", "data.aws_availability_zones.a.names[{index}]")


def evaluate(text: str) -> Any:
    def roots(name: str, steps: Steps) -> Any:
        if name == "var":
            steps.take()
            return NAMES
        raise EvalError(f"undeclared {name}")

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))


def test_positions_of_one_list_compare_by_index() -> None:
    first, again, second = evaluate("var.z[0]"), evaluate('var.z["0"]'), evaluate("var.z[1]")
    assert isinstance(first, UnknownZone) and isinstance(first, Unknown)
    assert first == again and first != second
    assert first.label == "data.aws_availability_zones.a.names[0]"
    assert evaluate("slice(var.z, 1, 3)") == [NAMES.at(1), NAMES.at(2)]
    assert evaluate("element(var.z, 0)") == NAMES.at(0)


def test_what_may_wrap_or_is_not_a_position_stays_a_plain_unknown() -> None:
    for text in ("element(var.z, 3)", "var.z[var.z[0]]", "upper(var.z[0])", "length(var.z)", "sort(var.z)"):
        value = evaluate(text)
        assert isinstance(value, Unknown) and not isinstance(value, (UnknownZone, ZoneList)), text


def test_other_lists_and_instances_do_not_compare() -> None:
    other = ZoneList("read at apply time", "data.aws_availability_zones.b.names", "name", "b[{index}]")
    assert other.at(0) != NAMES.at(0)
    assert pickle.loads(pickle.dumps(NAMES.at(2))) == NAMES.at(2), "the parse cache keeps them"


def _subnet_zones(tmp_path: Path, files: dict[str, str]) -> dict[str, Any]:
    write(tmp_path, files)
    found = discover([tmp_path], (), 10**6)
    project = build_project(found.files, found.problems, ParseOptions())
    return {
        r.address: r.attributes.get("availability_zone", r.attributes.get("AvailabilityZone"))
        for unit in project.units
        for r in unit.resources
    }


def test_terraform_data_sources_and_cloudformation_get_azs(tmp_path: Path) -> None:
    zones = _subnet_zones(
        tmp_path,
        {
            "tf/main.tf": (
                'data "aws_availability_zones" "a" {}\n'
                'data "aws_availability_zones" "counted" {\n  count = 1\n}\n'
                'resource "aws_subnet" "x" {\n  availability_zone = data.aws_availability_zones.a.names[1]\n}\n'
                'resource "aws_subnet" "y" {\n  availability_zone = data.aws_availability_zones.counted[0].names[1]\n}\n'
            ),
            "stack.yaml": (
                "Resources:\n"
                "  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [1, !GetAZs '']\n"
                "  B:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [1, !GetAZs eu-west-1]\n"
                "  C:\n    Type: AWS::EC2::Subnet\n    Properties:\n      AvailabilityZone: !Select [1, !GetAZs {Ref: Region}]\n"
                "Parameters:\n  Region:\n    Type: String\n"
            ),
        },
    )
    assert zones["aws_subnet.x"] == UnknownZone("", "data.aws_availability_zones.a.names", "name", 1, "")
    assert zones["aws_subnet.x"].label == "data.aws_availability_zones.a.names[1]"
    assert zones["A"].label == "!Select [1, !GetAZs '']"
    assert zones["B"].label == "!Select [1, !GetAZs eu-west-1]" and zones["B"] != zones["A"]
    for plain in ("aws_subnet.y", "C"):  # a counted data source; a region from a parameter
        assert isinstance(zones[plain], Unknown) and not isinstance(zones[plain], UnknownZone), plain


IDS = ZoneList("read at apply time", "data.aws_availability_zones.a.zone_ids", "id", "data.aws_availability_zones.a.zone_ids[{index}]")
GOOGLE = ZoneList("read at apply time", "data.google_compute_zones.z.names", "name", "data.google_compute_zones.z.names[{index}]")


def evaluate_with(zones: ZoneList, text: str) -> Any:
    def roots(name: str, steps: Steps) -> Any:
        steps.take()
        return zones

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))


def test_what_every_zone_name_or_id_gives_is_known() -> None:
    """terraform-aws-modules/vpc tells names from IDs with a regular expression: true for any
    zone name, false for any zone ID; what depends on which zone it is stays unknown."""
    is_name = 'length(regexall("^[a-z]{2}-", var.z[1])) > 0'
    assert evaluate_with(NAMES, is_name) is True
    assert evaluate_with(IDS, is_name) is False
    assert evaluate_with(GOOGLE, is_name) is not True, "us-central1-a and europe-west1-b: unknown"
    assert evaluate_with(NAMES, f"{is_name} ? var.z[1] : null") == NAMES.at(1)
    assert evaluate_with(IDS, f"{is_name} ? var.z[1] : null") is None
    found = evaluate_with(NAMES, 'regexall("^([a-z]{2})-", var.z[0])')
    assert isinstance(found, list) and len(found) == 1 and isinstance(found[0][0], Unknown), "one match, text unknown"
    for depends in ('startswith(var.z[0], "us-")', 'regexall("lax", var.z[0])', "substr(var.z[0], -1, 1)", 'strcontains(var.z[0], "-wl1-")'):
        value = evaluate_with(NAMES, depends)
        assert isinstance(value, Unknown) and not isinstance(value, UnknownZone), depends
    assert isinstance(evaluate_with(NAMES, 'var.z[0] == var.z[1] ? "same" : "two"'), Unknown), "not a function: unchanged"


def test_element_wraps_only_past_the_zones_every_region_has(tmp_path: Path) -> None:
    zones = _subnet_zones(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'provider "aws" {\n  alias  = "west1"\n  region = "us-west-1"\n}\n'
                'data "aws_availability_zones" "a" {}\n'
                'data "aws_availability_zones" "west1" {\n  provider = aws.west1\n}\n'
                'data "aws_availability_zones" "fewer" {\n  exclude_names = ["eu-west-1c"]\n}\n'
                'data "aws_availability_zones" "filtered" {\n  filter {\n    name   = "zone-name"\n    values = ["eu-west-1a"]\n  }\n}\n'
                'resource "aws_subnet" "a" {\n  count = 4\n  availability_zone = element(data.aws_availability_zones.a.names, count.index)\n}\n'
                'resource "aws_subnet" "west1" {\n  count = 3\n  availability_zone = element(data.aws_availability_zones.west1.names, count.index)\n}\n'
                'resource "aws_subnet" "fewer" {\n  count = 3\n  availability_zone = element(data.aws_availability_zones.fewer.names, count.index)\n}\n'
                'resource "aws_subnet" "filtered" {\n  count = 2\n  availability_zone = element(data.aws_availability_zones.filtered.names, count.index)\n}\n'
            ),
        },
    )
    positions = {a: z.index if isinstance(z, UnknownZone) else None for a, z in zones.items()}
    assert positions == {
        "aws_subnet.a[0]": 0,
        "aws_subnet.a[1]": 1,
        "aws_subnet.a[2]": 2,
        "aws_subnet.a[3]": None,  # a region with three zones wraps around
        "aws_subnet.west1[0]": 0,
        "aws_subnet.west1[1]": 1,
        "aws_subnet.west1[2]": None,  # us-west-1 has two zones for new accounts
        "aws_subnet.fewer[0]": 0,
        "aws_subnet.fewer[1]": 1,
        "aws_subnet.fewer[2]": None,
        "aws_subnet.filtered[0]": 0,
        "aws_subnet.filtered[1]": None,
    }


def test_distinct_and_toset_over_positions_of_one_list() -> None:
    # The same position twice is one zone; two positions are two zones: the size is known.
    assert evaluate("distinct([var.z[1], var.z[0], element(var.z, 0), var.z[1]])") == [NAMES.at(1), NAMES.at(0)]
    assert evaluate("length(distinct(concat(slice(var.z, 0, 3), [var.z[2]])))") == 3
    # The AWS provider lists zone names sorted, and Terraform sorts a set of strings: same order.
    assert evaluate("toset([var.z[2], var.z[0], var.z[2]])") == [NAMES.at(0), NAMES.at(2)]
    ids = ZoneList("read at apply time", "data.aws_availability_zones.a.zone_ids", "id", "ids[{index}]")

    def with_ids(text: str) -> Any:
        def roots(name: str, steps: Steps) -> Any:
            steps.take()
            return ids

        return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))

    # Zone IDs follow the names' order, not their own: a set of them has a size, not an order.
    ordered = with_ids("toset([var.i[1], var.i[0], var.i[1]])")
    assert isinstance(ordered, list) and len(ordered) == 2
    assert all(isinstance(v, Unknown) and not isinstance(v, UnknownZone) for v in ordered)
    assert with_ids("distinct([var.i[1], var.i[0], var.i[1]])") == [ids.at(1), ids.at(0)]


def test_distinct_over_positions_of_different_lists_or_known_names_stays_partly_unknown() -> None:
    other = ZoneList("read at apply time", "data.aws_availability_zones.b.names", "name", "b[{index}]")

    def mixed(text: str) -> Any:
        def roots(name: str, steps: Steps) -> Any:
            return NAMES if steps.take() == "z" else other

        return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))

    for text in ('distinct([var.z[0], "eu-west-1a"])', "distinct([var.z[0], var.o[0]])", "toset([var.z[0], var.o[0]])"):
        value = mixed(text)
        assert not isinstance(value, list) or len(value) != 2 or any(isinstance(v, Unknown) and not isinstance(v, UnknownZone) for v in value), text
        assert isinstance(mixed(f"length({text})"), Unknown), text
