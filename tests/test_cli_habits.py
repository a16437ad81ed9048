"""Habits users bring from ruff, Checkov, TFLint, Trivy and cfn-lint: soft-fail, concise and quiet
output, severity filter, colour conventions, -V, "did you mean", rule names, doc URLs,
configuration that pastes back, and settings from RESILINT_* variables."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from resilint import __version__
from resilint.cli import main
from resilint.config import CommandLine, resolve, tomllib
from resilint.registry import load_rules
from resilint.reporters.console import use_colour
from tests.conftest import write

DB = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nresource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'
BAD = 'resource "aws_db_instance" "db" {\n  multi_az =\n}\n'
CONCISE = re.compile(r"^[^:\s]+:\d+:\d+: RES\d{3} \[(error|warning|note)\] \S.*$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_zero_and_fail_on_never_report_but_do_not_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "db", {"main.tf": DB})
    assert run(capsys, "scan", str(tmp_path / "db"))[0] == 1
    code, out, _ = run(capsys, "scan", str(tmp_path / "db"), "--exit-zero")
    assert code == 0 and "RES302" in out
    code, out, _ = run(capsys, "scan", str(tmp_path / "db"), "--fail-on", "never")
    assert code == 0 and "RES302" in out
    (tmp_path / "db" / ".resilint.toml").write_text('fail-on = "never"\n')
    assert run(capsys, "scan", str(tmp_path / "db"))[0] == 0
    # parse errors and usage errors still exit 2: soft-fail never hides a file that was not read
    write(tmp_path / "broken", {"main.tf": BAD})
    assert run(capsys, "scan", str(tmp_path / "broken"), "--exit-zero")[0] == 2
    assert run(capsys, "scan", str(tmp_path / "broken"), "--fail-on", "never")[0] == 2
    assert run(capsys, "scan", str(tmp_path / "missing"), "--exit-zero")[0] == 2


def test_concise_is_one_sorted_clickable_line_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", "fixtures/example", "--format", "concise")
    assert code == 1
    *lines, summary = out.splitlines()
    assert len(lines) == 11 and all(CONCISE.match(line) for line in lines), lines
    assert "fixtures/example/terraform/modules/db/main.tf:14:1: RES302 [warning] module.orders_db.aws_db_instance.this runs in one" in out
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys)
    assert summary == "11 findings (2 errors, 9 warnings, 0 notes) in 5 files"
    code, quiet, _ = run(capsys, "scan", "fixtures/example", "--format", "concise", "--quiet")
    assert quiet.splitlines() == lines


def test_text_locations_are_path_line_col_and_quiet_drops_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "scan", "fixtures/example")
    assert "fixtures/example/terraform/modules/db/main.tf:14:1: RES302 [warning] module.orders_db.aws_db_instance.this" in out
    assert "11 findings" in out
    _, quiet, _ = run(capsys, "scan", "fixtures/example", "-q")
    assert "RES302" in quiet and "files scanned" not in quiet and "deployment unit" not in quiet


def test_severity_filters_what_is_shown_and_what_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "scan", "fixtures/example", "--format", "json", "--severity", "error")
    assert code == 1 and {f["severity"] for f in json.loads(out)["findings"]} == {"error"}
    write(tmp_path, {"main.tf": DB})
    code, out, _ = run(capsys, "scan", str(tmp_path), "--format", "json", "--severity", "error")
    assert code == 0 and json.loads(out)["findings"] == [], "warnings filtered out do not fail the run"
    code, _, err = run(capsys, "scan", str(tmp_path), "--severity", "warnnig")
    assert code == 2 and "did you mean warning?" in err



def test_what_severity_leaves_out_is_counted_not_passed_off_as_clean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--severity error` over a scan of warnings printed "0 findings" as a clean scan does."""
    write(tmp_path, {"main.tf": DB})
    _, concise, _ = run(capsys, "scan", str(tmp_path), "--format", "concise", "--severity", "error")
    _, text, _ = run(capsys, "scan", str(tmp_path), "--severity", "error")
    _, markdown, _ = run(capsys, "scan", str(tmp_path), "--format", "markdown", "--severity", "error")
    _, unfiltered, _ = run(capsys, "scan", str(tmp_path), "--format", "concise")
    hidden = len(unfiltered.splitlines()) - 1
    assert hidden > 0
    assert concise.endswith(f"in 1 file, {hidden} below --severity\n")
    assert text.endswith(f"0 findings (0 errors, 0 warnings, 0 notes), {hidden} below --severity\n")
    assert f"Not shown: {hidden} below --severity." in markdown
    assert "below --severity" not in unfiltered


def test_wrapped_lines_keep_their_indent(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "scan", "fixtures/example", "--color", "always", "--severity", "error")
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    body = [line for line in plain.splitlines() if line and not line.startswith("fixtures/") and "│" not in line]
    message = [line for line in body if "never fails over" in line or "treats it as always healthy" in line]
    assert message and all(line.startswith("    ") for line in message)
    assert all(len(line) <= 100 for line in plain.splitlines() if line.startswith("    "))
    assert all(line == line.rstrip() for line in plain.splitlines())


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "environ", "stream", "expected"),
    [
        ("auto", {}, Tty(), True),
        ("auto", {}, io.StringIO(), False),
        ("auto", {"NO_COLOR": "1"}, Tty(), False),
        ("auto", {"NO_COLOR": ""}, Tty(), True),  # no-color.org: only a non-empty value counts
        ("auto", {"FORCE_COLOR": "1"}, io.StringIO(), True),
        ("auto", {"FORCE_COLOR": "1", "CI": "true"}, io.StringIO(), True),
        ("auto", {"FORCE_COLOR": "0"}, Tty(), False),
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, Tty(), False),
        ("auto", {"TERM": "dumb"}, Tty(), False),
        ("auto", {"CI": "true"}, Tty(), False),
        ("auto", {"CI": "false"}, Tty(), True),
        ("auto", {"CI": "0"}, Tty(), True),
        ("always", {"NO_COLOR": "1"}, io.StringIO(), True),
        ("never", {"FORCE_COLOR": "1"}, Tty(), False),
    ],
)
def test_colour_follows_the_ecosystem(choice: str, environ: dict[str, str], stream: io.StringIO, expected: bool) -> None:
    assert use_colour(choice, stream, environ) is expected


def test_colour_on_the_command_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in run(capsys, "scan", "fixtures/example", "--color", "always")[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, "scan", "fixtures/example")[1]
    assert "\x1b[" not in run(capsys, "scan", "fixtures/example", "--color", "never")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "scan", "fixtures/example")[1]


def test_short_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["-V"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"resilint {__version__}"


def test_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["scan", "--exlude", "x"])
    assert "--exlude: did you mean --exclude?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["scan", "--format", "consice"])
    assert "did you mean concise?" in capsys.readouterr().err
    code, _, err = run(capsys, "scan", "fixtures/example", "--select", "RES3O2")
    assert code == 2 and "did you mean RES302?" in err
    code, _, err = run(capsys, "scan", "fixtures/example", "--ignore", "database-without-multiaz")
    assert code == 2 and "did you mean database-without-multi-az?" in err
    code, _, err = run(capsys, "explain", "RES3022")
    assert code == 2 and "did you mean RES302?" in err


def test_select_and_ignore_accept_rule_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": DB})

    def ids(*argv: str) -> set[str]:
        return {f["rule_id"] for f in json.loads(run(capsys, "scan", str(tmp_path), "--format", "json", *argv)[1])["findings"]}

    assert ids("--select", "database-without-multi-az") == {"RES302"}
    assert "RES302" not in ids("--ignore", "database-without-multi-az,RES101")
    (tmp_path / ".resilint.toml").write_text('select = ["database-without-multi-az"]\n')
    assert ids() == {"RES302"}


def test_rules_lists_doc_urls_and_honours_configured_rules_dirs(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("RES302"))
    assert line.endswith("https://github.com/resilint/resilint/blob/main/docs/rules/RES302.md")
    data = json.loads(run(capsys, "rules", "--format", "json")[1])
    assert next(r for r in data if r["id"] == "RES302")["help_uri"].endswith("/docs/rules/RES302.md")
    plugin = (Path(__file__).parent / "data" / "plugin_rule.py").read_text()
    write(tmp_path, {".resilint.toml": 'rules-dirs = ["tools/rules"]\n', "tools/rules/acme.py": plugin})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "rules")
    acme = next(x for x in out.splitlines() if x.startswith("ACME101"))
    assert acme.endswith("https://acme.example/rules/ACME101"), "a plugin's own documentation, not resilint's"
    code, out, _ = run(capsys, "explain", "ACME101")
    assert code == 0 and out.startswith("# ACME101")


def test_show_config_pastes_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = (
        'select = ["RES3", "RES101"]\nignore = ["RES307"]\nfail-on = "never"\nexclude = ["legacy/**", "sandbox"]\n'
        'var-files = ["env/prod.tfvars"]\nmax-file-size = 5\ninline-suppressions = false\n'
        '[severity]\nRES101 = "error"\n[cloudformation]\nregions = ["us-east-1"]\n'
        '[[cloudformation.stacks]]\npath = "stacks/global/*.yaml"\nregions = ["us-east-1", "us-west-2"]\n'
        '[dns.secondary]\n"example.com" = ["ns1"]\n[rules.RES203]\nttl-warning = 90\n'
        '[[systems]]\nname = "checkout"\nunits = ["infra/*"]\nregions = ["us-east-1", "eu-west-1"]\n'
        '[[objectives]]\nsystems = ["infra/*"]\nsurvive = ["any-region", "aws-us-east-1-2025-10-20"]\n'
    )
    write(tmp_path / "a", {".resilint.toml": config, "env/prod.tfvars": "", "legacy/x.tf": "", "sandbox/y.tf": "", "main.tf": DB})
    code, shown, _ = run(capsys, "scan", str(tmp_path / "a"), "--show-config")
    assert code == 0
    tomllib.loads(shown)  # valid TOML
    write(tmp_path / "b", {".resilint.toml": shown, "env/prod.tfvars": "", "main.tf": DB})
    first = resolve(CommandLine(), None, tmp_path / "a", load_rules)
    second = resolve(CommandLine(), None, tmp_path / "b", load_rules)
    same = {"config_file", "config_root", "exclude", "var_files", "objectives"}
    assert first.model_dump(exclude=same) == second.model_dump(exclude=same)
    # --show-config left [[objectives]] out: pasted back, RES501 and simulate --objectives had none
    assert [(o.systems, o.survive) for o in second.objectives] == [(("infra/*",), ("any-region", "aws-us-east-1-2025-10-20"))]
    assert [e.pattern for e in second.exclude] == ["legacy/**", "sandbox"]
    assert [p.relative_to(tmp_path / "b") for p in second.var_files] == [Path("env/prod.tfvars")]
    # command-line excludes are shown relative to the configuration file, where they would go
    _, shown, _ = run(capsys, "scan", str(tmp_path / "a"), "--show-config", "--exclude", str(tmp_path / "a" / "vendor") + "/")
    assert tomllib.loads(shown)["exclude"] == ["legacy/**", "sandbox", "vendor"]


def test_settings_from_resilint_environment_variables(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"main.tf": DB, "legacy/main.tf": DB})
    monkeypatch.setenv("RESILINT_FAIL_ON", "never")
    monkeypatch.setenv("RESILINT_FORMAT", "json")
    monkeypatch.setenv("RESILINT_EXCLUDE", f"{tmp_path}/legacy,nothing-here")
    code, out, err = run(capsys, "scan", str(tmp_path))
    assert code == 0
    assert {f["path"].split("/")[-2] for f in json.loads(out)["findings"]} == {tmp_path.name}
    assert "exclude 'nothing-here' matched nothing" in err
    # the command line wins over the environment
    code, out, _ = run(capsys, "scan", str(tmp_path), "--fail-on", "warning", "--format", "concise")
    assert code == 1 and out.startswith(str(tmp_path.relative_to(Path.cwd())) if tmp_path.is_relative_to(Path.cwd()) else "")
    monkeypatch.setenv("RESILINT_EXIT_ZERO", "yes")
    assert run(capsys, "scan", str(tmp_path), "--fail-on", "warning")[0] == 0
    monkeypatch.setenv("RESILINT_FAIL_ON", "sometimes")
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2 and "RESILINT_FAIL_ON" in err
    monkeypatch.delenv("RESILINT_FAIL_ON")
    monkeypatch.setenv("RESILINT_SELCT", "RES302")
    _, _, err = run(capsys, "scan", str(tmp_path))
    assert "RESILINT_SELCT is not a resilint setting (did you mean RESILINT_SELECT?)" in err


VARIABLES = (
    'variable "region" {\n  type = string\n}\n\nvariable "replicas" {\n  type = number\n  default = 1\n}\n\n'
    'variable "multi" {\n  type = bool\n  default = false\n}\n\nvariable "zones" {\n  type = list(string)\n  default = []\n}\n\n'
    'provider "aws" {\n  region = var.region\n}\n'
)


@pytest.mark.parametrize(
    ("assignment", "error"),
    [
        ("regoin=us-east-1", 'value for undeclared variable: no root module scanned declares a variable named "regoin"; did you mean region?'),
        ("replicas=two", "var.replicas declared at"),
        ("replicas=two", "a number is required"),
        ("multi=yes", "a bool is required"),
        ("zones=eu-west-1a", "a list is required"),
        ("zones={a = 1}", "a list is required"),
    ],
)
def test_var_is_checked_against_declared_variables_and_types(capsys: pytest.CaptureFixture[str], tmp_path: Path, assignment: str, error: str) -> None:
    write(tmp_path, {"main.tf": VARIABLES})
    code, out, err = run(capsys, "scan", str(tmp_path), "--var", assignment)
    assert code == 2 and out == ""
    assert error in err


@pytest.mark.parametrize("assignment", ["region=us-east-1", "replicas=3", "replicas=2.5", "multi=true", "multi=0", 'zones=["a", "b"]'])
def test_var_values_terraform_accepts_pass(capsys: pytest.CaptureFixture[str], tmp_path: Path, assignment: str) -> None:
    write(tmp_path, {"main.tf": VARIABLES})
    code, _, err = run(capsys, "scan", str(tmp_path), "--var", assignment, "--var", "region=us-east-1")
    assert code == 0, err


def test_sarif_links_a_plugin_rule_to_its_own_page_or_to_none(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plugin = (Path(__file__).parent / "data" / "plugin_rule.py").read_text()
    without = plugin.replace('    help_uri="https://acme.example/rules/ACME101",\n', "").replace("ACME101", "ACME102")
    write(tmp_path, {"rules/acme.py": plugin, "rules/other.py": without, "infra/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'})
    main(["scan", str(tmp_path / "infra"), "--rules-dir", str(tmp_path / "rules"), "--format", "sarif", "--select", "ACME"])
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ACME101"]["helpUri"] == "https://acme.example/rules/ACME101"
    assert "helpUri" not in rules["ACME102"], "never resilint's pages for someone else's rule"
    main(["scan", "fixtures/example", "--format", "sarif", "--select", "RES302"])
    (builtin,) = json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]["rules"]
    assert builtin["helpUri"].endswith("/docs/rules/RES302.md")
