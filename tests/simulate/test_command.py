"""`resilint simulate` on the command line: the JSON contract, exit codes, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint import __version__
from resilint.cli import main
from tests.conftest import write
from tests.simulate.helpers import EAST

SITE = EAST + """
resource "aws_route53_zone" "public" {
  name = "orders-shop.io"
}

resource "aws_db_instance" "orders" {
  engine = "postgres"
}

resource "aws_instance" "web" {
  availability_zone = "us-east-1a"
  user_data         = aws_db_instance.orders.endpoint
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www"
  type    = "A"
  ttl     = 60
  records = [aws_instance.web.public_ip]
}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    code, out, _ = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert list(document) == ["version", "tool", "failures", "systems", "summary"]
    assert document["version"] == "1"
    assert document["tool"] == {"name": "resilint", "version": __version__}
    assert document["failures"] == ["aws:us-east-1"]
    assert document["summary"] == {"systems": 1, "up": 0, "degraded": 0, "down": 1, "unknown": 0}
    (system,) = document["systems"]
    unit = system["name"]
    assert unit.endswith("/site") and system["units"] == [unit]
    assert system["verdict"] == "down"
    site = f"{unit}/main.tf"
    assert system["entry_points"] == [
        {
            "name": "www.orders-shop.io",
            "resource": "aws_route53_record.www",
            "unit": unit,
            "path": site,
            "line": 24,
            "status": "down",
            "because": "www.orders-shop.io → aws_instance.web (us-east-1) → down: region us-east-1 failed",
        }
    ]
    assert system["data"] == [
        {
            "resource": "aws_db_instance.orders",
            "unit": unit,
            "path": site,
            "line": 15,
            "status": "down",
            "because": "aws_db_instance.orders (us-east-1) → down: region us-east-1 failed; no copy of its data survives: lost",
        }
    ]
    again = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--format", "json")[1]
    assert again == out  # deterministic


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    assert run(capsys, "simulate", str(tmp_path), "--fail", "aws:eu-west-1")[0] == 0
    assert run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1")[0] == 1
    # another zone: the instance is up, the database's zone is not known: unknown is not down
    code, out, _ = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1b")
    assert code == 0 and ": unknown" in out
    assert run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1a")[0] == 1
    code, _, err = run(capsys, "simulate", str(tmp_path), "--fail", "aws:nowhere")
    assert code == 2 and "unknown target 'aws:nowhere'" in err
    code, _, err = run(capsys, "simulate", str(tmp_path))
    assert code == 2 and "name what fails" in err
    code, _, err = run(capsys, "simulate", str(tmp_path), "--scenario", "nope")
    assert code == 2 and "unknown scenario" in err
    code, _, err = run(capsys, "simulate", str(tmp_path), "--scenario", "aws-us-east-1-2025-10-20", "--fail", "ns1")
    assert code == 2 and err == (
        "resilint: error: --fail and --scenario together: name what fails one way, "
        "--fail TARGET (repeatable), --scenario NAME or --objectives\n"
    ), "it said to name what fails, which had been named twice"


def test_a_region_nothing_runs_in_is_a_warning_naming_those_it_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--fail aws:us-est-1` (a typo) judged every system up, exit 0, and said nothing."""
    write(tmp_path, {"site/main.tf": SITE})
    code, out, err = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-est-1")
    assert code == 0 and ": up" in out
    assert err == (
        "resilint: warning: --fail aws:us-est-1: no scanned resource is known to run in region us-est-1 "
        "(regions of the scanned code: aws:us-east-1); did you mean aws:us-east-1?\n"
    )
    code, _, err = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-est-1b", "--fail", "aws:us-east-1a", "--fail", "azure:westeurope-1")
    assert code == 1
    assert err.splitlines() == [
        "resilint: warning: --fail aws:us-est-1b: no scanned resource is known to run in a zone of us-est-1 "
        "(regions of the scanned code: aws:us-east-1); did you mean aws:us-east-1b?",
        "resilint: warning: --fail azure:westeurope-1: no scanned resource is known to run in a zone of westeurope "
        "(no azure resource scanned is in a known region)",
    ]
    # A region the code runs in, a provider, a service: no warning; nor a scenario's own targets.
    # Nor a region where the cloud's resources are all unplaced (any region may be theirs).
    for argv in (("--fail", "aws:us-east-1"), ("--fail", "aws"), ("--fail", "aws:route53"), ("--scenario", "azure-front-door-2025-10-29")):
        assert run(capsys, "simulate", str(tmp_path), *argv)[2] == ""
    write(tmp_path, {"stack/app.yaml": "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"})
    assert run(capsys, "simulate", str(tmp_path / "stack"), "--fail", "aws:us-est-1")[2] == ""
    assert run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-est-1")[2] == (
        "resilint: warning: --fail aws:us-est-1: no scanned resource is known to run in region us-est-1 "
        "(regions of the scanned code: aws:us-east-1, and some whose region is not known); did you mean aws:us-east-1?\n"
    )


def test_usage_errors_of_scan_hold_for_simulate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --var no root declares is an error in scan (as in terraform plan), and was ignored by
    simulate; a folder with nothing to read was "0 systems" without the warning scan gives."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"site/main.tf": SITE + 'variable "size" {\n  type = number\n  default = 1\n}\n', "docs/README.md": "x\n"})
    code, _, err = run(capsys, "simulate", "site", "--fail", "aws:us-east-1", "--var", "sise=2")
    assert code == 2 and 'no root module scanned declares a variable named "sise"; did you mean size?' in err
    code, _, err = run(capsys, "simulate", "site", "--fail", "aws:us-east-1", "--var", "size=big")
    assert code == 2 and "--var size=big: invalid value for input variable" in err
    assert run(capsys, "simulate", "site", "--fail", "aws:us-east-1", "--var", "size=2")[0] == 1
    code, out, err = run(capsys, "simulate", "docs", "--fail", "aws:us-east-1")
    assert code == 0 and out.endswith("0 systems: 0 up, 0 degraded, 0 down, 0 unknown\n")
    assert err == "resilint: warning: no Terraform or CloudFormation files under docs\n"


def test_fail_on_degraded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"main.tf": EAST + 'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n  multi_az = true\n}\n'})
    code, out, _ = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1a")
    assert code == 0 and ": degraded" in out
    assert run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1a", "--fail-on", "degraded")[0] == 1


def test_parse_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_instance" "x" {\n  ami =\n}\n'})
    code, _, err = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1")
    assert code == 2 and "RES001" in err


def test_list_targets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", "--list-targets")
    assert code == 0
    assert "aws:use1-az1" in out and "azure:westeurope-1" in out and "aws-us-east-1-2025-10-20" in out
    assert "https://aws.amazon.com/message/101925/" in out


def test_scenario_and_output_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    report = tmp_path / "out" / "report.json"
    code, out, _ = run(
        capsys, "simulate", str(tmp_path / "site"), "--scenario", "aws-us-east-1-2025-10-20", "--format", "text", "--format", "json", "--output", f"json={report}"
    )
    assert code == 1
    assert "scenario aws-us-east-1-2025-10-20" in out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["scenario"]["source"] == "https://aws.amazon.com/message/101925/"
    assert "aws:route53-control-plane" in document["failures"]


def test_readme_example_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    readme = Path("README.md").read_text(encoding="utf-8")
    command = "$ resilint simulate fixtures/example --scenario aws-us-east-1-2025-10-20\n"
    shown = readme[readme.index(command) + len(command) :].split("```", 1)[0]
    code, out, _ = run(capsys, "simulate", "fixtures/example", "--scenario", "aws-us-east-1-2025-10-20")
    assert out == shown
    assert code == 1


STACK = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def test_a_stack_without_a_region_says_how_to_give_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"stack.yaml": STACK})
    _, out, _ = run(capsys, "simulate", str(tmp_path), "--fail", "aws:us-east-1", "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    assert system["verdict"] == "unknown"
    assert system["because"].endswith(
        "its region is not known (the stack's region is chosen when it is deployed; give it in .resilint.toml with "
        "regions under [cloudformation], or under a [[cloudformation.stacks]] entry whose path matches the template)"
    )


def test_a_stack_in_several_regions_is_judged_per_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not told to give its region: it has two, a copy in each, and each copy is judged."""
    write(tmp_path, {"stack.yaml": STACK, ".resilint.toml": '[cloudformation]\nregions = ["eu-west-1", "eu-west-2"]\n'})
    _, out, _ = run(capsys, "simulate", str(tmp_path), "--fail", "aws:eu-west-1", "--no-cache", "--format", "json")
    (system,) = json.loads(out)["systems"]
    unit = system["units"][0]
    lost = "Queue (eu-west-1) → down: region eu-west-1 failed; no copy of its data outside the failure is in the code"
    assert system["data"] == [
        {"resource": "Queue", "unit": unit, "path": f"{unit}", "line": 3, "status": "down", "because": lost, "copy": "eu-west-1"},
        {"resource": "Queue", "unit": unit, "path": f"{unit}", "line": 3, "status": "up", "because": "Queue (eu-west-2) → up", "copy": "eu-west-2"},
    ]
    assert (system["verdict"], system["because"]) == ("down", lost)  # no entry point: a lost store is the system down
