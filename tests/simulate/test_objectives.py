"""Resilience objectives: the words a system must survive, the matrix, and RES501 in scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.config import ConfigError, load_file
from resilint.model import Objective
from resilint.simulate.objectives import expand, run
from resilint.simulate.verdicts import graphs
from tests.conftest import write
from tests.simulate.helpers import EAST, project

FAILOVER = Path("fixtures/objective_not_met/pass_failover_to_another_region/main.tf").read_text(encoding="utf-8")
SINGLE = Path("fixtures/objective_not_met/fail_single_region/main.tf").read_text(encoding="utf-8").replace(" # expect: RES501", "")
ZONED = EAST + """
resource "aws_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  availability_zone = "us-east-1b"
}

resource "aws_autoscaling_group" "web" {
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
}
"""


def test_words_expand_over_what_the_system_uses(tmp_path: Path) -> None:
    (graph,) = graphs(project(tmp_path / "f", {"main.tf": FAILOVER}))
    assert [f.label for f in expand("any-region", graph)] == ["aws:us-east-1", "aws:us-west-2"]
    assert [f.label for f in expand("any-dns-provider", graph)] == ["aws:route53"]
    assert [f.label for f in expand("aws:eu-west-1", graph)] == ["aws:eu-west-1"]
    (scenario,) = expand("aws-us-east-1-2025-10-20", graph)
    assert scenario.label == "aws-us-east-1-2025-10-20" and len(scenario.targets) == 5
    (zoned,) = graphs(project(tmp_path / "z", {"main.tf": ZONED}))
    assert [f.label for f in expand("any-zone", zoned)] == ["aws:us-east-1a", "aws:us-east-1b"]


def test_matrix_cells(tmp_path: Path) -> None:
    built = project(tmp_path, {"single/main.tf": SINGLE, "failover/main.tf": FAILOVER})
    cells = run(built, (Objective(systems=("*",), survive=("any-region",)),))
    verdicts = {(c.verdict.system.name.rsplit("/", 1)[-1], c.failure.label): c.verdict.verdict for c in cells}
    assert verdicts == {
        ("failover", "aws:us-east-1"): "degraded",
        ("failover", "aws:us-west-2"): "degraded",
        ("single", "aws:us-east-1"): "down",
    }


def test_simulate_objectives_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path,
        {
            ".resilint.toml": '[[objectives]]\nsystems = ["*"]\nsurvive = ["any-region"]\n',
            "single/main.tf": SINGLE,
            "failover/main.tf": FAILOVER,
        },
    )
    code = main(["simulate", str(tmp_path), "--objectives", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    rows = [(r["system"].rsplit("/", 1)[-1], r["failure"], r["verdict"]) for r in document["objectives"]]
    assert rows == [
        ("failover", "aws:us-east-1", "degraded"),
        ("failover", "aws:us-west-2", "degraded"),
        ("single", "aws:us-east-1", "down"),
    ]
    assert document["summary"] == {"checks": 3, "not_met": 1}
    assert main(["simulate", str(tmp_path), "--objectives", "--format", "markdown"]) == 1
    table = capsys.readouterr().out
    assert "| failure |" in table and "| aws:us-east-1 | degraded | down |" in table


def test_scan_reports_res501_at_the_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {".resilint.toml": '[[objectives]]\nsystems = ["*"]\nsurvive = ["any-region"]\n', "single/main.tf": SINGLE})
    code = main(["scan", str(tmp_path), "--select", "RES501", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    (finding,) = document["findings"]
    unit = finding["unit"]
    assert (finding["rule_id"], finding["resource"], finding["line"]) == ("RES501", "aws_route53_record.www", 13)
    assert finding["message"] == (
        f"{unit} must survive any-region (objective 1 in configuration), but under aws:us-east-1 this entry point goes "
        "down: www.orders-shop.io → aws_lb.web (us-east-1) → down: region us-east-1 failed"
    )


def test_objective_globs_are_relative_to_the_configuration_from_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`systems = ["deploy/*"]` matched the names as displayed from the working directory: run
    from the repository's parent, or from inside deploy/, no system matched, RES501 was never
    raised and the run passed."""
    repo = write(tmp_path / "repo", {".resilint.toml": '[[objectives]]\nsystems = ["deploy/*"]\nsurvive = ["any-region"]\n', "deploy/web/main.tf": SINGLE})
    for cwd, path in ((tmp_path, "repo"), (repo, "."), (repo / "deploy", "."), (repo / "deploy" / "web", ".")):
        monkeypatch.chdir(cwd)
        assert main(["scan", path, "--no-cache", "--select", "RES501", "--format", "json"]) == 1, cwd
        assert [f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["RES501"]
        assert main(["simulate", path, "--no-cache", "--objectives"]) == 1, cwd
        out, err = capsys.readouterr()
        assert "1 objective not met" in out and err == ""


def test_an_objective_that_names_no_system_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = '[[objectives]]\nsystems = ["single"]\nsurvive = ["any-region"]\n\n[[objectives]]\nsystems = ["prod/*", "sngle"]\nsurvive = ["any-region"]\n'
    write(tmp_path, {".resilint.toml": config, "single/main.tf": SINGLE})
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", ".", "--no-cache", "--objectives"]) == 1
    assert capsys.readouterr().err == (
        "resilint: warning: objective 2 (systems prod/*, sngle, relative to .) names no scanned system, so nothing checks it\n"
    )


def test_bad_objective_words_are_configuration_errors(tmp_path: Path) -> None:
    config = write(tmp_path, {".resilint.toml": '[[objectives]]\nsystems = ["*"]\nsurvive = ["every-region"]\n'}) / ".resilint.toml"
    with pytest.raises(ConfigError, match="objectives.0.survive.*unknown target 'every-region'"):
        load_file(config)


def test_a_word_that_stands_for_no_failure_is_reported_as_not_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the subnets of SINGLE are literal IDs: no zone of the system is known, so any-zone checks nothing
    write(tmp_path, {".resilint.toml": '[[objectives]]\nsystems = ["*"]\nsurvive = ["any-region", "any-zone"]\n', "single/main.tf": SINGLE})
    assert main(["simulate", str(tmp_path), "--objectives", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [(r["survive"], r["because"]) for r in document["not_checked"]] == [("any-zone", "no zone its resources run in is known")]
    main(["simulate", str(tmp_path), "--objectives"])
    text = capsys.readouterr().out
    assert "  any-zone: not checked, no zone its resources run in is known" in text
    assert text.rstrip().endswith("1 failure x system checks, 1 objective not met, 1 not checked")
    main(["simulate", str(tmp_path), "--objectives", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert "**Not met:**" in markdown and "**Not checked:**" in markdown and ": any-zone, no zone its resources run in is known" in markdown
