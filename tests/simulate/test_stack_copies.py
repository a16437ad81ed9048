"""A CloudFormation stack deployed to several regions (`[[cloudformation.stacks]]` or
`[cloudformation]` regions, a StackSet's instances) is a copy in each region, and the simulation
judges each copy: a region's failure takes its copy down, and whether the system survives
depends on whether traffic can move to another copy. Fixtures under fixtures/simulate/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.discover import discover
from resilint.model import Project, Unit, Unknown
from resilint.parsers import ParseOptions, build_project
from resilint.systems import find_systems
from tests.conftest import write

FAILOVER = "fixtures/simulate/stack_copies_failover"
LATENCY = "fixtures/simulate/stack_set_copies_latency"
ONE_RECORD = "fixtures/simulate/stack_copies_one_record"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def build(root: Path, regions: dict[str, tuple[str, ...]]) -> Project:
    found = discover([root], (), 1 << 24)
    options = ParseOptions(cloudformation_regions=lambda display: next((r for name, r in regions.items() if display.endswith(name)), ()))
    project = build_project(found.files, found.problems, options)
    assert not project.problems, project.problems
    return find_systems(project)


def unit(project: Project, name: str) -> Unit:
    return next(u for u in project.units if u.id.endswith(name))


# The parse: one copy per region, built as if deployed there alone -------------------------------

REGIONAL = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsPrimary: !Equals [!Ref "AWS::Region", us-east-1]
Mappings:
  Sizes:
    us-east-1: {Class: db.r6g.large}
    us-west-2: {Class: db.t4g.medium}
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: !FindInMap [Sizes, !Ref "AWS::Region", Class]
      MultiAZ: !If [IsPrimary, true, false]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
"""


def test_each_copy_is_the_template_built_in_its_region(tmp_path: Path) -> None:
    write(tmp_path, {"app.yaml": REGIONAL})
    project = build(tmp_path, {"app.yaml": ("us-west-2", "us-east-1")})
    stack = unit(project, "app.yaml")
    # The unit the rules judge keeps what no one region decides.
    assert isinstance(stack.resource("Database").region, Unknown)  # type: ignore[union-attr]
    assert stack.copy_of is None
    east, west = stack.copies
    assert (east.id, east.copy_of, east.deploy_regions) == (f"{stack.id}@us-east-1", stack.id, ("us-east-1",))
    assert (west.id, west.copy_of, west.deploy_regions) == (f"{stack.id}@us-west-2", stack.id, ("us-west-2",))
    for copy, size, multi_az in ((east, "db.r6g.large", True), (west, "db.t4g.medium", False)):
        database = copy.resource("Database")
        assert database is not None
        assert (database.region, database.unit, database.location) == (copy.deploy_regions[0], copy.id, stack.resource("Database").location)  # type: ignore[union-attr]
        assert (database.attributes["DBInstanceClass"], database.attributes["MultiAZ"]) == (size, multi_az)
        assert copy.resource("Role").region is None  # type: ignore[union-attr]  # global: in no region
        assert not copy.copies


def test_a_copy_is_what_the_template_deployed_to_its_region_alone_is(tmp_path: Path) -> None:
    write(tmp_path, {"app.yaml": REGIONAL})
    (west,) = (c for c in unit(build(tmp_path, {"app.yaml": ("us-east-1", "us-west-2")}), "app.yaml").copies if c.deploy_regions == ("us-west-2",))
    alone = unit(build(tmp_path, {"app.yaml": ("us-west-2",)}), "app.yaml")
    assert not alone.copies
    assert [(r.address, r.region, r.attributes, r.references) for r in west.resources] == [
        (r.address, r.region, r.attributes, r.references) for r in alone.resources
    ]


def test_a_stack_in_one_region_or_none_has_no_copies(tmp_path: Path) -> None:
    write(tmp_path, {"app.yaml": REGIONAL})
    assert not unit(build(tmp_path, {}), "app.yaml").copies
    assert not unit(build(tmp_path, {"app.yaml": ("eu-west-1", "eu-west-1")}), "app.yaml").copies


# The simulation, on the fixtures -----------------------------------------------------------------


def test_failover_between_copies(capsys: pytest.CaptureFixture[str]) -> None:
    """PRIMARY in us-east-1, SECONDARY in us-west-2 (a condition on AWS::Region), health
    evaluated: us-east-1's outage moves the name to us-west-2, whose fleet reads a global table."""
    code, out = run(capsys, "simulate", FAILOVER, "--fail", "aws:us-east-1", "--no-cache")
    app, data = f"{FAILOVER}/app.yaml", f"{FAILOVER}/data.yaml"
    replica = "region us-east-1 failed; available from its replica in us-west-2, the last writes at risk (asynchronous replication)"
    assert out == (
        "failing: aws:us-east-1\n"
        "\n"
        f"{FAILOVER}/*: degraded\n"
        f"  entry  degraded  api.orders-shop.io → Web in {app} (us-west-2) → degraded: fails over from Web in {app} (us-east-1) "
        f"(region us-east-1 failed) through failover records; Orders in {data} (us-east-1), which it needs, is degraded: {replica}\n"
        f"  data   degraded  Orders in {data} (us-east-1) → degraded: {replica}\n"
        "  change blocked   Route 53 (Api): its 1 record set cannot be created or changed (answers and health checks go on)\n"
        "\n"
        "1 system: 0 up, 1 degraded, 0 down, 0 unknown\n"
    )
    assert code == 0
    # The other way round, us-west-2 is the standby: losing it leaves nothing to fail over to.
    _, out = run(capsys, "simulate", FAILOVER, "--fail", "aws:us-west-2", "--no-cache")
    assert f"  entry  degraded  api.orders-shop.io → Web in {app} (us-east-1) → degraded: its standby is down: failover records have nothing left to fail over to\n" in out


def test_failover_between_copies_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "simulate", FAILOVER, "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    app, data = f"{FAILOVER}/app.yaml", f"{FAILOVER}/data.yaml"
    assert system["units"] == [app, data]
    (entry,) = system["entry_points"]
    # A name the records of both copies make belongs to the stack: no `copy`.
    assert {k: v for k, v in entry.items() if k != "because"} == {
        "name": "api.orders-shop.io",
        "resource": "Api",
        "unit": app,
        "path": app,
        "line": 59,
        "status": "degraded",
    }
    assert [(d["resource"], d["unit"], d["status"], d.get("copy")) for d in system["data"]] == [("Orders", data, "degraded", None)]


def test_latency_records_without_health_evaluation_keep_traffic_on_the_failed_copy(capsys: pytest.CaptureFixture[str]) -> None:
    """A StackSet deploys app.yaml to us-east-1 and eu-west-1; its latency records evaluate no
    health, and each copy keeps its carts in a table of its own."""
    code, out = run(capsys, "simulate", LATENCY, "--fail", "aws:us-east-1", "--no-cache")
    app = f"{LATENCY}/app.yaml"
    assert out == (
        "failing: aws:us-east-1\n"
        "\n"
        f"{LATENCY}/*: down\n"
        f"  entry  down      pay.orders-shop.io → Domain in {app} (us-east-1) → down: region us-east-1 failed; latency routing does not "
        f"evaluate the health of Domain in {app} (us-east-1), so traffic stays on it; only a record change moves it to Domain in {app} "
        "(eu-west-1), and Route 53's control plane (us-east-1) is down, so no record can be changed\n"
        f"  data   down      Carts in {app} (us-east-1) → down: region us-east-1 failed; no copy of its data survives: lost\n"
        "  change blocked   Route 53 (Record): its 1 record set cannot be created or changed (answers and health checks go on)\n"
        "\n"
        "1 system: 0 up, 0 degraded, 1 down, 0 unknown\n"
    )
    assert code == 1
    # A region no copy runs in takes nothing down.
    code, out = run(capsys, "simulate", LATENCY, "--fail", "aws:ap-south-1", "--no-cache")
    assert (code, out.splitlines()[2]) == (0, f"{LATENCY}/*: up")


def test_each_copy_is_a_row_of_its_own_in_json_markdown_and_html(capsys: pytest.CaptureFixture[str]) -> None:
    app = f"{LATENCY}/app.yaml"
    _, out = run(capsys, "simulate", LATENCY, "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    assert system["data"] == [
        {"resource": "Carts", "unit": app, "path": app, "line": 16, "status": "up", "because": f"Carts in {app} (eu-west-1) → up", "copy": "eu-west-1"},
        {
            "resource": "Carts",
            "unit": app,
            "path": app,
            "line": 16,
            "status": "down",
            "because": f"Carts in {app} (us-east-1) → down: region us-east-1 failed; no copy of its data survives: lost",
            "copy": "us-east-1",
        },
    ]
    _, out = run(capsys, "simulate", LATENCY, "--fail", "aws:us-east-1", "--no-cache", "--format", "markdown")
    assert f"| Carts in {app} (eu-west-1) | up | Carts in {app} (eu-west-1) → up |\n" in out
    assert f"| Carts in {app} (us-east-1) | down | Carts in {app} (us-east-1) → down: region us-east-1 failed; no copy of its data survives: lost |\n" in out
    # the chart names units relative to the folder the system's units share, as the HTML graph does
    assert 'n2["Domain in app.yaml (us-east-1)"]:::down' in out and '["Domain in app.yaml (eu-west-1)"]:::up' in out
    _, out = run(capsys, "simulate", LATENCY, "--fail", "aws:us-east-1", "--no-cache", "--format", "html")
    assert f"<title>Domain in {app} (us-east-1): down</title>" in out
    assert f"<title>Domain in {app} (eu-west-1): up</title>" in out


def test_copies_that_each_make_one_simple_record_leave_the_name_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    """A name has one simple record: the copy deployed second fails to make it, and the code does
    not say which copy came first. Unknown, never down, while one copy's answer survives."""
    _, out = run(capsys, "simulate", ONE_RECORD, "--fail", "aws:us-east-1", "--no-cache")
    assert out.splitlines()[2:4] == [
        f"{ONE_RECORD}/site.yaml: unknown",
        "  entry  unknown   www.orders-shop.io → Web (us-east-1) → unknown: region us-east-1 failed; whether the name answers with it is "
        "not known: a name has one simple record, and the copies of the stack each make it, so only one of them has it",
    ]
    # Both copies down: down whichever it is. Neither: up.
    code, out = run(capsys, "simulate", ONE_RECORD, "--fail", "aws:us-east-1", "--fail", "aws:eu-central-1", "--no-cache")
    assert (code, out.splitlines()[3]) == (1, "  entry  down      www.orders-shop.io → Web (eu-central-1) → down: region eu-central-1 failed")
    code, out = run(capsys, "simulate", ONE_RECORD, "--fail", "aws:us-west-1", "--no-cache")
    assert (code, out.splitlines()[2]) == (0, f"{ONE_RECORD}/site.yaml: up")


def test_systems_say_a_stack_has_a_copy_in_each_region(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "systems", LATENCY, "--no-cache")
    assert f"  unit {LATENCY}/app.yaml (eu-west-1, us-east-1; a copy of the stack in each)\n" in out
    assert f"  unit {LATENCY}/org.yaml (no known region)\n" in out
    _, out = run(capsys, "systems", LATENCY, "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    assert [(u["id"], u["copies"]) for u in system["units"]] == [(f"{LATENCY}/app.yaml", ["eu-west-1", "us-east-1"]), (f"{LATENCY}/org.yaml", [])]


# Semantics in written cases ------------------------------------------------------------------------

PRIMARY_IN_EACH = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]}
  Www:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: Z0123456789ORDERS
      Name: www.orders-shop.io
      Type: A
      SetIdentifier: !Ref "AWS::Region"
      Failover: PRIMARY
      AliasTarget: {DNSName: !GetAtt Web.DNSName, HostedZoneId: !GetAtt Web.CanonicalHostedZoneID, EvaluateTargetHealth: true}
"""
CONFIG = '[cloudformation]\nregions = ["us-east-1", "us-west-2"]\n'


def test_a_primary_record_in_each_copy_leaves_the_name_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site.yaml": PRIMARY_IN_EACH, ".resilint.toml": CONFIG})
    _, out = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (entry,) = json.loads(out)["systems"][0]["entry_points"]
    assert entry["status"] == "unknown"
    assert entry["because"] == (
        "www.orders-shop.io → Web (us-east-1) → unknown: region us-east-1 failed; whether the name answers with it is not known: "
        "a name has one PRIMARY failover record, and the copies of the stack each make one, so only one of them has it"
    )


def test_one_set_identifier_in_each_copy_leaves_the_name_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weighted = PRIMARY_IN_EACH.replace('SetIdentifier: !Ref "AWS::Region"', "SetIdentifier: web").replace("Failover: PRIMARY", "Weight: 50")
    write(tmp_path, {"site.yaml": weighted, ".resilint.toml": CONFIG})
    _, out = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (entry,) = json.loads(out)["systems"][0]["entry_points"]
    assert entry["status"] == "unknown"
    assert "the copies of the stack give their records of the name one set identifier, web" in entry["because"]
    # Set identifiers that differ by region: a weighted set over both copies, health evaluated.
    write(tmp_path, {"site.yaml": weighted.replace("SetIdentifier: web", 'SetIdentifier: !Sub "web-${AWS::Region}"')})
    _, out = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (entry,) = json.loads(out)["systems"][0]["entry_points"]
    assert (entry["status"], entry["because"]) == (
        "degraded",
        "www.orders-shop.io → Web (us-west-2) → degraded: traffic moves away from Web (us-east-1) (region us-east-1 failed) through weighted routing",
    )


REGIONAL_NAMES = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {ZipFile: "def handler(event, context): return None"}
      Environment: {Variables: {QUEUE: !Ref Queue}}
  Url:
    Type: AWS::Lambda::Url
    Properties: {TargetFunctionArn: !GetAtt Worker.Arn, AuthType: NONE}
"""


def test_each_copys_own_endpoint_is_an_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing in the code moves a client from one copy's function URL to the other's."""
    write(tmp_path, {"worker.yaml": REGIONAL_NAMES, ".resilint.toml": CONFIG})
    code, out = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    assert [(e["name"], e["status"], e.get("copy")) for e in system["entry_points"]] == [
        ("Url (us-east-1)", "down", "us-east-1"),
        ("Url (us-west-2)", "up", "us-west-2"),
    ]
    assert (system["verdict"], code) == ("down", 1)


DATA = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
Outputs:
  Table:
    Value: !Ref Sessions
    Export: {Name: sessions}
"""
READER = REGIONAL_NAMES.replace("QUEUE: !Ref Queue", "TABLE: !ImportValue sessions")


def _needs(project: Project, label: str) -> list[str]:
    from resilint.simulate.verdicts import graphs

    (graph,) = graphs(project)
    (node,) = (n for n in graph.nodes.values() if n.label == label)
    return sorted(child.label for child in node.children())


def test_a_copy_imports_from_the_exporting_stacks_copy_in_its_region(tmp_path: Path) -> None:
    write(tmp_path, {"data.yaml": DATA, "worker.yaml": READER})
    both = ("us-east-1", "us-west-2")
    project = build(tmp_path, {"data.yaml": both, "worker.yaml": both})
    data, worker = unit(project, "data.yaml").id, unit(project, "worker.yaml").id
    for region in both:
        assert _needs(project, f"Worker in {worker} ({region})") == [f"Sessions in {data} ({region})"]
    # A stack in one region reads the copy in its region; one in a region with no copy reads
    # the stack itself, whose region is not known (unknown, never up).
    project = build(tmp_path, {"data.yaml": both, "worker.yaml": ("us-west-2",)})
    assert _needs(project, f"Worker in {worker}") == [f"Sessions in {data} (us-west-2)"]
    project = build(tmp_path, {"data.yaml": both, "worker.yaml": ("eu-west-1",)})
    assert _needs(project, f"Worker in {worker}") == [f"Sessions in {data}"]


def test_objectives_cover_each_copys_region_and_res501_points_at_the_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    objectives = '[[objectives]]\nsystems = ["*"]\nsurvive = ["any-region"]\n'
    write(tmp_path, {"worker.yaml": REGIONAL_NAMES, ".resilint.toml": CONFIG + objectives})
    _, out = run(capsys, "simulate", str(tmp_path), "--objectives", "--no-cache", "--format", "json")
    assert [(o["failure"], o["verdict"]) for o in json.loads(out)["objectives"]] == [("aws:us-east-1", "down"), ("aws:us-west-2", "down")]
    code, out = run(capsys, "scan", str(tmp_path), "--select", "RES501", "--no-cache", "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["resource"], f["unit"], f["line"], f["message"].split(" this entry point goes down: ")[1]) for f in findings] == [
        ("Url", findings[0]["path"], 13, "Url (us-east-1) → down: region us-east-1 failed"),
        ("Url", findings[0]["path"], 13, "Url (us-west-2) → down: region us-west-2 failed"),
    ]


@pytest.mark.parametrize("fixture", [FAILOVER, LATENCY])
def test_copies_come_back_from_the_parse_cache_and_the_workers(fixture: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The copies are part of the unit the parse cache keeps and the worker processes send back."""
    cold = run(capsys, "simulate", fixture, "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    assert run(capsys, "simulate", fixture, "--fail", "aws:us-east-1", "--format", "json") == cold  # fills the cache
    assert run(capsys, "simulate", fixture, "--fail", "aws:us-east-1", "--format", "json") == cold  # reads it
    from resilint.parsers import parallel

    built: list[int] = []
    real_build = parallel.build

    def build(*args: object) -> object:
        found = real_build(*args)  # type: ignore[arg-type]
        built.append(-1 if found is None else len(found[1]))
        return found

    monkeypatch.setenv("RESILINT_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    monkeypatch.setattr(parallel, "build", build)
    assert run(capsys, "simulate", fixture, "--fail", "aws:us-east-1", "--no-cache", "--format", "json") == cold
    assert built == [2]  # both templates built in the workers


def test_readme_example_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    command = f"$ resilint simulate {FAILOVER} --fail aws:us-east-1\n"
    shown = readme[readme.index(command) + len(command) :].split("```", 1)[0]
    assert run(capsys, "simulate", FAILOVER, "--fail", "aws:us-east-1") == (0, shown)
