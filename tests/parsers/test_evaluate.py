"""Expression evaluation: values, functions, and unknowns that stay unknown."""

from __future__ import annotations

from typing import Any

import pytest

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS

VARIABLES: dict[str, Any] = {
    "region": "eu-west-1",
    "regions": ["eu-west-1", "eu-central-1"],
    "tags": {"env": "prod"},
    "unset": Unknown("var.unset has no value", ("data.aws_region.x",)),
    "n": 3,
    "on": True,
    "by_key": {"b": "eu-west-2", "a": "eu-west-1"},
    "nothing": None,
}


def evaluate(text: str) -> Any:
    def roots(name: str, steps: Steps) -> Any:
        if name == "var":
            return VARIABLES[str(steps.take())]
        raise EvalError(f"undeclared {name}")

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_expression(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"${var.region}-a"', "eu-west-1-a"),
        ("var.regions[1]", "eu-central-1"),
        ("var.n * 2 + 1", 7),
        ("var.n > 2 ? \"big\" : \"small\"", "big"),
        ('[for r in var.regions : upper(r) if r != "eu-west-1"]', ["EU-CENTRAL-1"]),
        ("{for r in var.regions : r => length(r)}", {"eu-west-1": 9, "eu-central-1": 12}),
        ('lookup(var.tags, "env", "dev")', "prod"),
        ('lookup(var.tags, "team", "core")', "core"),
        ('merge(var.tags, {team = "core"})', {"env": "prod", "team": "core"}),
        ('coalesce("", "x")', "x"),
        ('join(",", var.regions)', "eu-west-1,eu-central-1"),
        ('split("-", var.region)', ["eu", "west", "1"]),
        ('format("%s-%03d", "db", 7)', "db-007"),
        ("length(var.regions)", 2),
        ("toset([\"b\", \"a\", \"b\"])", ["a", "b"]),
        ("contains(var.regions, \"eu-west-1\")", True),
        ("keys(var.tags)", ["env"]),
        ("element(var.regions, 3)", "eu-central-1"),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ("try(var.tags.missing, \"fallback\")", "fallback"),
        ("can(var.tags.missing)", False),
        ("var.regions[*]", ["eu-west-1", "eu-central-1"]),
        ("concat(var.regions, [\"us-east-1\"])", ["eu-west-1", "eu-central-1", "us-east-1"]),
        ("!(1 == 1)", False),
        ("5 % 3", 2),
        # a template that is one interpolation is its value, not a string
        ('"${var.regions}"', ["eu-west-1", "eu-central-1"]),
        ('"${var.n}"', 3),
        # template directives
        ('"%{ if var.on }multi%{ else }single%{ endif }-az"', "multi-az"),
        ('"%{ for r in var.regions }${r};%{ endfor }"', "eu-west-1;eu-central-1;"),
        ('"%{ for k, v in var.by_key }${k}=${v} %{ endfor }"', "a=eu-west-1 b=eu-west-2 "),
        ('"%%{ not a directive }"', "%{ not a directive }"),
        # maps and objects iterate in key order, as Terraform does
        ("[for k, v in var.by_key : v]", ["eu-west-1", "eu-west-2"]),
        ('regexall("[a-z]+-([a-z]+)-[0-9]", "eu-west-1 us-east-2")', [["west"], ["east"]]),
        ('length(regexall("^[a-z]{2}-", "eu-west-1a")) > 0', True),
        ('basename("modules/app/main.tf")', "main.tf"),
        ('dirname("modules/app/main.tf")', "modules/app"),
        ('base64decode(base64encode("eu-west-1"))', "eu-west-1"),
        ('sha256("x")', "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"),
        ('md5("x")', "9dd4e461268c8034f5c8564e155c67a6"),
        ('setsubtract(["a", "b", "c"], ["b"])', ["a", "c"]),
        ('setunion(["b"], ["a", "b"])', ["a", "b"]),
        ('setintersection(["a", "b"], ["b", "c"])', ["b"]),
        ('matchkeys(["i-1", "i-2"], ["a", "b"], ["b"])', ["i-2"]),
        ('yamldecode("regions:\\n  - eu-west-1\\n  - us-east-1\\n")', {"regions": ["eu-west-1", "us-east-1"]}),
        ('jsondecode("{\\"primary\\": \\"eu-west-1\\"}").primary', "eu-west-1"),
        ('cidrsubnets("10.0.0.0/16", 8, 8)', ["10.0.0.0/24", "10.0.1.0/24"]),
        ('cidrhost("10.0.1.0/24", 5)', "10.0.1.5"),
        ('cidrcontains("10.0.0.0/16", "10.0.3.4")', True),
        ('strrev("abc")', "cba"),
        ('pow(2, 3)', 8),
        ('parseint("ff", 16)', 255),
        ('trimprefix(upper(var.region), "EU-")', "WEST-1"),
        ('try(var.nothing.x, "fallback")', "fallback"),
        ("coalesce(var.nothing, var.region)", "eu-west-1"),
        ("nonsensitive(sensitive(var.region))", "eu-west-1"),
        ("slice(var.regions, 0, 1)", ["eu-west-1"]),
        ('formatlist("%s-a", var.regions)', ["eu-west-1-a", "eu-central-1-a"]),
    ],
)
def test_known_values(text: str, expected: Any) -> None:
    assert evaluate(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('concat([var.regions, ["us-east-1"]]...)', ["eu-west-1", "eu-central-1", "us-east-1"]),
        ('merge([var.tags, {team = "core"}]...)', {"env": "prod", "team": "core"}),
        ('coalesce(["", "x"]...)', "x"),
        ("max([1, 5, 3]...)", 5),
        ('format("%s-%s", ["db", "7"]...)', "db-7"),
        ("min(\n  [4, 2]... # a spread on its own line\n)", 2),
    ],
)
@pytest.mark.parametrize("parse", [s.parse_hcl, s.parse_hcl_lark], ids=["tree-sitter", "lark"])
def test_a_final_ellipsis_spreads_the_last_argument(text: str, expected: Any, parse: Any) -> None:
    # python-hcl2 drops the `...`: read as one list argument, `concat` would give the list of lists
    # and `coalesce` the list itself, a wrong value rather than the known one.
    expr = parse(f"x = {text}\n").attributes["x"].expr
    assert isinstance(expr, s.Call) and expr.expand_final
    assert Evaluator(lambda name, steps: VARIABLES[str(steps.take())], FUNCTIONS).evaluate(expr) == expected


def test_a_spread_of_an_unknown_list_is_unknown() -> None:
    assert isinstance(evaluate("concat(var.unset...)"), Unknown)
    assert isinstance(evaluate("max(var.unset...)"), Unknown)


def test_heredoc_directives_with_strip_markers() -> None:
    body = s.parse_hcl('x = <<-EOT\n  %{ for r in var.regions ~}\n  ${r}\n  %{ endfor ~}\n  EOT\n')
    assert Evaluator(lambda n, st: VARIABLES[str(st.take())], FUNCTIONS).evaluate(body.attributes["x"].expr) == "eu-west-1\neu-central-1\n"


@pytest.mark.parametrize(
    "text",
    [
        "var.unset",
        '"${var.unset}-a"',
        'var.unset == "true"',
        "var.unset ? 1 : 2",
        "upper(var.unset)",
        "[for r in var.unset : r]",
        "var.unset[0]",
        "var.unset.attribute",
        "toset([var.unset, \"a\"])",
        "timestamp()",
        '"%{ if var.unset }x%{ endif }"',
        '"%{ for r in var.unset }${r}%{ endfor }"',
        "regexall(\"a\", var.unset)",
        "merge(var.tags, var.unset)",
        "lookup(var.tags, var.unset, \"x\")",
        "var.unset + 1",
        "-var.unset",
        "var.unset > 2 && true",
        "coalesce(var.unset, \"x\")",
        "concat(var.regions, var.unset)",
        "keys(var.unset)",
        "[for r in var.regions : r if r == var.unset]",
        "{for r in var.regions : var.unset => r}",
        "var.regions[var.unset]",
        "var.unset[*].id",
        "can(var.unset.x)",
        "flatten([var.regions, var.unset])",
    ],
)
def test_unknown_stays_unknown(text: str) -> None:
    value = evaluate(text)
    assert isinstance(value, Unknown)
    assert value.refs == ("data.aws_region.x",) or "not evaluated" in value.reason, "the origin is kept"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("false && var.unset", False),
        ("true || var.unset", True),
        ("var.unset ? 1 : 1", 1),
        ("length([var.unset, var.unset])", 2),
        ("var.on || var.unset", True),
        ("try(var.regions[5], var.unset, \"x\")", Unknown),
        ("length(slice(var.unset, 0, 3))", 3),
        ("[for i, z in slice(var.unset, 0, 2) : i]", [0, 1]),
    ],
)
def test_unknown_does_not_spread_where_the_answer_is_known(text: str, expected: Any) -> None:
    value = evaluate(text)
    assert isinstance(value, Unknown) if expected is Unknown else value == expected


def test_errors_become_unknown_with_a_reason() -> None:
    value = evaluate("var.regions[5]")
    assert isinstance(value, Unknown) and "out of range" in value.reason


def test_unknown_cannot_be_truth_tested() -> None:
    with pytest.raises(TypeError):
        bool(Unknown("x"))


def test_decoding_a_list_fails_even_with_unknown_elements_so_try_takes_the_list() -> None:
    # The registry modules' idiom for "a JSON string or a list": try(jsondecode(x), x).
    grants = evaluate('try(jsondecode([{id = var.unset}, {id = "c4c1"}]), [{id = var.unset}, {id = "c4c1"}])')
    assert isinstance(grants, list) and len(grants) == 2 and grants[1] == {"id": "c4c1"}
    assert evaluate('try(yamldecode({a = var.unset}), "map")') == "map"
    assert evaluate('try(jsondecode("[1, 2]"), [])') == [1, 2]
    assert isinstance(evaluate("jsondecode(var.unset)"), Unknown), "an unknown string stays unknown"
    assert isinstance(evaluate("try(jsondecode(var.unset), [])"), Unknown)


YAML_DOCUMENTS = [
    "regions:\n  - eu-west-1\n  - us-east-1\n",
    "base: &base {tier: standard, zones: [a, b]}\nprod:\n  <<: *base\n  tier: premium\n",
    "when: 2024-01-02\nport: 0x1F\nratio: 1.5e3\non: yes\nempty:\n'1': one\n2: two\n",
    "text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\nquoted: \"tab\\there\"\n",
    "---\n- [1, 2]\n- {a: ~}\n...\n",
    "",
]


@pytest.mark.parametrize("document", YAML_DOCUMENTS)
def test_yamldecode_gives_what_pyyamls_pure_python_safe_loader_gives(document: str) -> None:
    # yamldecode reads with libyaml's parser when it is there (speed, issue 18): the values
    # must be those of PyYAML's pure-Python safe loader, which it replaced.
    import yaml

    from resilint.parsers.terraform.functions import _plain_yaml

    expected = _plain_yaml(yaml.load(document, Loader=yaml.SafeLoader))
    assert FUNCTIONS["yamldecode"](document) == expected


def test_yamldecode_refuses_two_documents_and_bad_yaml() -> None:
    with pytest.raises(EvalError):
        FUNCTIONS["yamldecode"]("a: 1\n---\nb: 2\n")
    assert evaluate('try(yamldecode("a: [1"), "bad")') == "bad"


def test_a_json_template_with_unknown_parts_without_identity_is_a_document() -> None:
    # var.unset[var.region] has no identity (a lookup into an unknown): the text is not known,
    # but the document it encodes is, the unknown inside its string.
    from resilint.model import UnknownDocument

    value = evaluate('"{\\"Principal\\": {\\"AWS\\": \\"arn:aws:iam::${var.unset[var.region]}:root\\", \\"Service\\": \\"logs\\"}}"')
    assert isinstance(value, UnknownDocument)
    principal = value.document["Principal"]
    assert principal["Service"] == "logs"
    assert isinstance(principal["AWS"], Unknown) and principal["AWS"].refs == ("data.aws_region.x",)
    whole = evaluate('"[\\"${var.unset[var.region]}\\"]"')
    assert isinstance(whole, UnknownDocument) and isinstance(whole.document[0], Unknown)


@pytest.mark.parametrize(
    "text",
    [
        '"{\\"count\\": ${var.unset[var.region]}}"',  # a whole value: no JSON with a string there
        '"{\\"${var.unset[var.region]}\\": 1}"',  # a key
        '"name-${var.unset[var.region]}"',  # no document
    ],
)
def test_other_templates_with_unknown_parts_without_identity_stay_plain_unknowns(text: str) -> None:
    from resilint.model import UnknownDocument

    value = evaluate(text)
    assert isinstance(value, Unknown) and not isinstance(value, UnknownDocument)
