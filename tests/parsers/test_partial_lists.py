"""Lists of unknown length whose other elements are known (`UnknownList`).

`concat(aws_route53_zone.x.name_servers, ["dns1.p01.nsone.net"])` used to come out as the same
Unknown as the zone's name servers alone, hiding the NS1 server from the DNS rules. It is now an
`UnknownList`: still an Unknown (its length is decided at apply), with its runs kept in order.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from resilint.discover import discover
from resilint.model import Unknown, UnknownList
from resilint.parsers import ParseOptions, build_project
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS
from tests.conftest import write

ZONE_NS = Unknown(
    "aws_route53_zone.x.name_servers is known only after apply", ("aws_route53_zone.x",)
)
SUBNET_ID = Unknown("aws_subnet.a.id is known only after apply", ("aws_subnet.a",))
AFTER_RUN = Unknown(
    "the index of an element after a list of unknown length is not known"
)
VARIABLES: dict[str, Any] = {
    "zone_ns": ZONE_NS,
    "more": Unknown("var.more has no value"),
    "subnet_id": SUBNET_ID,
    "regions": ["eu-west-1", "eu-central-1"],
}


def evaluate(text: str) -> Any:
    def roots(name: str, steps: Steps) -> Any:
        if name == "var":
            return VARIABLES[str(steps.take())]
        raise EvalError(f"undeclared {name}")

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))


def test_concat_keeps_known_elements_beside_a_list_of_unknown_length() -> None:
    value = evaluate('concat(var.zone_ns, ["dns1.p01.nsone.net"])')
    assert isinstance(value, UnknownList) and isinstance(value, Unknown)
    assert value.parts == (ZONE_NS, ["dns1.p01.nsone.net"])
    assert value.known == ["dns1.p01.nsone.net"]
    assert value.refs == ("aws_route53_zone.x",)
    assert value.reason != ZONE_NS.reason, "rules can tell it from the plain reference"
    assert "concat()" in value.reason


def test_two_lists_of_unknown_length_keep_their_own_origins() -> None:
    value = evaluate("concat(var.zone_ns, var.more)")
    assert isinstance(value, UnknownList)
    assert value.parts == (ZONE_NS, VARIABLES["more"])
    assert value.known == []
    # Part of it comes from no resource: `refs` does not claim the zone is its whole origin
    # (code reading only `refs` would take every name server for the zone's).
    assert value.refs == ()
    assert evaluate("concat(var.zone_ns, [var.subnet_id])").refs == ("aws_route53_zone.x", "aws_subnet.a")
    assert evaluate('concat(var.zone_ns, [var.more, "a"])').refs == ()


@pytest.mark.parametrize(
    "text, parts",
    [
        ('concat(concat(var.zone_ns, ["a"]), ["b"], [])', (ZONE_NS, ["a", "b"])),
        (
            'concat(var.regions, var.zone_ns, ["a"])',
            (["eu-west-1", "eu-central-1"], ZONE_NS, ["a"]),
        ),
        ('tolist(concat(var.zone_ns, ["a"]))', (ZONE_NS, ["a"])),
        (
            "flatten([var.regions, var.zone_ns])",
            (["eu-west-1", "eu-central-1"], ZONE_NS),
        ),
        (
            'flatten([["a", ["b"]], concat(var.zone_ns, ["c"])])',
            (["a", "b"], ZONE_NS, ["c"]),
        ),
        # an unknown element may be null or "" (compact) or equal another one (sets): a run
        ('compact(["a", "", var.subnet_id])', (["a"], SUBNET_ID)),
        ('toset(["b", var.subnet_id, "a", "b"])', (["a", "b"], SUBNET_ID)),
        ('distinct(["b", var.subnet_id, "b"])', (["b"], SUBNET_ID)),
        ('setunion(["b"], concat(var.zone_ns, ["a", "b"]))', (["a", "b"], ZONE_NS)),
        # for expressions and splats map the known elements and keep the unknown runs
        (
            '[for n in concat(var.zone_ns, ["a"]) : { name = n }]',
            (ZONE_NS, [{"name": "a"}]),
        ),
        # after a run of unknown length the index is unknown: one element of unknown value
        (
            '[for i, n in concat(["a"], var.zone_ns, ["b"]) : "${i}${n}"]',
            (["0a"], ZONE_NS, [AFTER_RUN]),
        ),
        ('[for n in concat(var.zone_ns, ["a", ""]) : n if n != ""]', (ZONE_NS, ["a"])),
        ('concat(var.zone_ns, [{ id = "a" }])[*].id', (ZONE_NS, ["a"])),
        # an element whose filter is not known may be left out: a run of at most one element
        (
            '[for n in ["a", "b"] : n if n == "a" || var.subnet_id == "x"]',
            (
                ["a"],
                Unknown(
                    "a for expression filters on a value that is not known",
                    ("aws_subnet.a",),
                ),
            ),
        ),
    ],
)
def test_functions_that_build_lists_keep_the_known_runs(
    text: str, parts: tuple[Any, ...]
) -> None:
    value = evaluate(text)
    assert isinstance(value, UnknownList), value
    assert value.parts == parts


@pytest.mark.parametrize(
    "text",
    [
        'length(concat(var.zone_ns, ["a"]))',
        'concat(var.zone_ns, ["a"])[0]',
        'element(concat(var.zone_ns, ["a"]), 0)',
        'join(",", concat(var.zone_ns, ["a"]))',
        'contains(concat(var.zone_ns, ["a"]), "b")',
        'contains(["a", var.subnet_id], "b")',
        "one(concat(var.zone_ns, []))",
    ],
)
def test_what_depends_on_the_length_or_the_unknown_elements_stays_a_plain_unknown(
    text: str,
) -> None:
    value = evaluate(text)
    assert isinstance(value, Unknown) and not isinstance(value, UnknownList), value
    assert value.refs == ("aws_route53_zone.x",) or value.refs == ("aws_subnet.a",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('contains(concat(var.zone_ns, ["a"]), "a")', True),
        ('contains(["a", var.subnet_id], "a")', True),
        ('contains(["a", "b"], "c")', False),
        (
            'concat(var.regions, ["us-east-1"])',
            ["eu-west-1", "eu-central-1", "us-east-1"],
        ),
        ('compact(["a", "", "b"])', ["a", "b"]),
        ("concat([], [])", []),
        ('flatten([["a"], [["b"]], []])', ["a", "b"]),
    ],
)
def test_known_answers(text: str, expected: Any) -> None:
    assert evaluate(text) == expected


def test_concat_of_one_unknown_list_and_empty_lists_is_that_unknown() -> None:
    value = evaluate("concat(var.zone_ns, [])")
    assert value == ZONE_NS and not isinstance(value, UnknownList)


def test_a_coalescelist_with_a_known_element_is_not_empty() -> None:
    value = evaluate('coalescelist(concat(var.zone_ns, ["a"]), ["z"])')
    assert isinstance(value, UnknownList) and value.known == ["a"]
    assert isinstance(evaluate('coalescelist(var.zone_ns, ["z"])'), Unknown)


def test_unknown_list_is_an_unknown_for_every_reader() -> None:
    value = evaluate('concat(var.zone_ns, ["a"])')
    with pytest.raises(TypeError):
        bool(value)
    same = evaluate('concat(var.zone_ns, ["a"])')
    assert value == same and hash(value) == hash(same)
    assert value != evaluate('concat(var.zone_ns, ["b"])')
    assert value != Unknown(value.reason, value.refs), (
        "a plain unknown is not the partial list"
    )
    assert pickle.loads(pickle.dumps(value)) == value, "units holding it can be cached"


def test_through_a_module_into_a_resource(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "us-east-1" }\n'
                'resource "aws_route53_zone" "x" {\n  name = "shop.io"\n}\n'
                'module "ns" {\n  source = "./ns"\n  zone_ns = aws_route53_zone.x.name_servers\n}\n'
                'resource "aws_route53domains_registered_domain" "d" {\n'
                '  domain_name = "shop.io"\n'
                '  dynamic "name_server" {\n'
                "    for_each = module.ns.all\n"
                "    content {\n      name = name_server.value\n    }\n  }\n"
                "}\n"
                'resource "aws_route53_record" "ns" {\n'
                '  zone_id = "Z1"\n  name = "shop.io"\n  type = "NS"\n  ttl = 300\n'
                "  records = module.ns.all\n"
                "}\n"
            ),
            "ns/main.tf": (
                'variable "zone_ns" { type = list(string) }\n'
                'output "all" { value = concat(var.zone_ns, ["dns1.p01.nsone.net", "dns2.p02.nsone.net"]) }\n'
            ),
        },
    )
    found = discover([tmp_path])
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    record = unit.resource("aws_route53_record.ns")
    assert record is not None
    records = record.attributes["records"]
    assert isinstance(records, UnknownList)
    assert records.known == ["dns1.p01.nsone.net", "dns2.p02.nsone.net"]
    assert records.parts[0].refs == ("aws_route53_zone.x",)
    assert [(r.target, r.path) for r in record.references] == [
        ("aws_route53_zone.x", "records")
    ]
    domain = unit.resource("aws_route53domains_registered_domain.d")
    assert domain is not None
    # dynamic blocks over a list of unknown length: a block per known element, never zero blocks
    blocks = domain.attributes["name_server"]
    assert isinstance(blocks, UnknownList)
    assert blocks.known == [
        {"name": "dns1.p01.nsone.net"},
        {"name": "dns2.p02.nsone.net"},
    ]
    assert isinstance(blocks.parts[0], Unknown) and blocks.parts[0].refs == (
        "aws_route53_zone.x",
    )


def test_static_blocks_beside_dynamic_blocks_of_unknown_number(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'resource "aws_route53_zone" "x" {\n  name = "shop.io"\n}\n'
                'resource "aws_route53domains_domain" "d" {\n'
                '  domain_name = "shop.io"\n'
                '  name_server {\n    name = "ns1.example.net"\n  }\n'
                '  dynamic "name_server" {\n'
                "    for_each = aws_route53_zone.x.name_servers\n"
                "    content {\n      name = name_server.value\n    }\n  }\n"
                "}\n"
            ),
        },
    )
    found = discover([tmp_path])
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    domain = unit.resource("aws_route53domains_domain.d")
    assert domain is not None
    blocks = domain.attributes["name_server"]
    assert isinstance(blocks, UnknownList)
    assert blocks.parts[0] == [{"name": "ns1.example.net"}]
    assert isinstance(blocks.parts[1], Unknown) and blocks.parts[1].refs == (
        "aws_route53_zone.x",
    )


def test_known_parts_of_partly_known_maps_and_lists() -> None:
    """What a result takes from known arguments only is known: the keys of maps merged after
    an unknown one, elements of the known run a list starts with, one false in alltrue()."""
    from resilint.parsers.terraform.functions import FUNCTIONS

    def roots(name: str, steps: Steps) -> object:
        if name == "var":
            steps.take()
            return Unknown("var.u has no value", ("aws_x.y",))
        raise EvalError(name)

    def evaluate(text: str) -> object:
        return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))

    known = {
        "merge(var.u, {multi_az = false}).multi_az": False,
        'merge(var.u, {multi_az = false})["multi_az"]': False,
        'lookup(merge(var.u, {multi_az = false}), "multi_az", true)': False,
        "try(merge(var.u, {a = 1}).a, 2)": 1,
        "merge(merge(var.u, {a = 1}), {b = 2}).a": 1,
        "tomap(merge(var.u, {a = 1})).a": 1,
        'concat(["a", "b"], var.u)[1]': "b",
        'element(concat(["a"], var.u), 0)': "a",
        "alltrue([false, var.u])": False,
        "anytrue(concat([true], var.u))": True,
    }
    for text, value in known.items():
        assert evaluate(text) == value, text
    for text in (
        "merge({a = 1}, var.u).a",  # the unknown map may set a
        "merge(var.u, {a = 1}).b",
        "merge(merge(var.u, {a = 1}), var.u).a",
        'lookup(merge(var.u, {a = 1}), "b", 3)',
        "keys(merge(var.u, {a = 1}))",
        'concat(["a"], var.u)[1]',
        'element(concat(var.u, ["a"]), 0)',
        'element(concat(["a"], var.u), 1)',  # may wrap around
        "alltrue([true, var.u])",
        "anytrue([false, var.u])",
    ):
        value = evaluate(text)
        assert isinstance(value, Unknown), text
        assert type(value) is Unknown or text.startswith(("concat", "element")), f"{text}: {value!r}"
