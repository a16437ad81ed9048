"""Fingerprints survive unrelated edits; baselines hide known findings and show new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint import __version__
from resilint.cli import main
from tests.conftest import write

BEFORE = (
    'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
    'resource "aws_db_instance" "orders" {\n  engine = "postgres"\n}\n'
)
AFTER_MOVES = (
    "# a new header comment\n\n\n"
    'resource "aws_sqs_queue" "unrelated" {\n  name = "jobs"\n}\n\n'
    'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
    'resource "aws_db_instance" "orders" {\n  # more lines inside\n\n  engine = "postgres"\n}\n'
)


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(["scan", *argv, "--format", "json", "--no-cache"])
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_fingerprints_do_not_move_with_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"main.tf": BEFORE})
    _, before = findings(capsys, str(tmp_path))
    write(tmp_path, {"main.tf": AFTER_MOVES})
    _, after = findings(capsys, str(tmp_path))
    assert {(f["rule_id"], f["line"]) for f in before} != {(f["rule_id"], f["line"]) for f in after}
    assert {f["fingerprint"] for f in before} == {f["fingerprint"] for f in after}
    write(tmp_path, {"main.tf": BEFORE.replace('"orders"', '"billing"')})
    _, renamed = findings(capsys, str(tmp_path))
    assert {f["fingerprint"] for f in renamed} != {f["fingerprint"] for f in before}, "another resource is another finding"


def test_baseline_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    infra = write(tmp_path / "infra", {"main.tf": BEFORE})
    baseline = tmp_path / "resilint-baseline.json"
    code, shown = findings(capsys, str(infra), "--write-baseline", str(baseline))
    assert code == 0 and shown == [], "writing a baseline accepts today's findings"
    recorded = json.loads(baseline.read_text())
    assert recorded["format"] == "resilint-baseline/1" and len(recorded["findings"]) == 2

    write(infra, {"main.tf": AFTER_MOVES})
    code, shown = findings(capsys, str(infra), "--baseline", str(baseline))
    assert code == 0 and shown == [], "moved lines and an unrelated resource: nothing new"

    write(infra, {"db.tf": 'resource "aws_db_instance" "new" {\n  engine = "mysql"\n}\n'})
    code, shown = findings(capsys, str(infra), "--baseline", str(baseline))
    assert code == 1
    assert [(f["rule_id"], f["resource"]) for f in shown] == [
        ("RES103", "aws_db_instance.new"),
        ("RES302", "aws_db_instance.new"),
    ]

    write(infra, {"broken.tf": "resource {\n"})
    code, shown = findings(capsys, str(infra), "--baseline", str(baseline))
    assert code == 2 and "RES001" in {f["rule_id"] for f in shown}, "parse errors are never baselined"


def test_bad_baseline_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "b.json").write_text('{"not": "a baseline"}')
    assert main(["scan", "fixtures/example", "--baseline", str(tmp_path / "b.json")]) == 2
    assert "not a resilint baseline" in capsys.readouterr().err



def test_a_baseline_of_another_format_or_a_json_report_says_what_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both were "not a resilint baseline": a newer resilint's baseline is one, and a JSON
    report holds findings too, which is why it gets passed."""
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "resilint-baseline/2", "tool_version": "0.3.0", "findings": []}')
    assert main(["scan", "fixtures/example", "--no-cache", "--baseline", str(newer)]) == 2
    assert capsys.readouterr().err == (
        f"resilint: error: baseline {newer} is in format resilint-baseline/2 (written by resilint 0.3.0); "
        f"this resilint ({__version__}) reads resilint-baseline/1: write it again with --write-baseline\n"
    )
    report = tmp_path / "report.json"
    main(["scan", "fixtures/example", "--no-cache", "--format", "json", "--output", str(report)])
    capsys.readouterr()
    assert main(["scan", "fixtures/example", "--no-cache", "--baseline", str(report)]) == 2
    assert capsys.readouterr().err == (
        f"resilint: error: {report} is a report of `resilint scan --format json`, not a baseline (write one with --write-baseline)\n"
    )


def test_a_baseline_matches_from_any_working_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write(tmp_path / "repo", {"infra/db/main.tf": BEFORE, "infra/app/main.tf": BEFORE.replace('"orders"', '"app"')})
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    code, known = findings(capsys, "infra", "--write-baseline", ".resilint-baseline.json")
    assert code == 0 and known == []
    capsys.readouterr()
    entries = json.loads((repo / ".resilint-baseline.json").read_text())["findings"]
    assert {e["path"] for e in entries} == {"infra/db/main.tf", "infra/app/main.tf"}, "relative to the repository root"

    monkeypatch.chdir(repo / "infra" / "db")  # another folder, paths shown differently
    code, new = findings(capsys, ".", "--baseline", "../../.resilint-baseline.json")
    assert (code, new) == (0, [])
    monkeypatch.chdir(tmp_path)  # outside the repository, naming it
    code, new = findings(capsys, "repo/infra", "--baseline", "repo/.resilint-baseline.json")
    assert (code, new) == (0, [])
    code, new = findings(capsys, "repo/infra/db/main.tf", "--baseline", "repo/.resilint-baseline.json")
    assert (code, new) == (0, []), "a named file, as pre-commit passes it"

    # Written from a subfolder, the baseline holds the same repository-relative paths.
    monkeypatch.chdir(repo / "infra")
    findings(capsys, ".", "--write-baseline", str(repo / "again.json"))
    capsys.readouterr()
    assert json.loads((repo / "again.json").read_text())["findings"] == entries


def test_entries_that_match_nothing_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write(tmp_path / "repo", {"infra/db/main.tf": BEFORE, "infra/app/main.tf": BEFORE.replace('"orders"', '"app"')})
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    main(["scan", "infra", "--write-baseline", "baseline.json"])
    capsys.readouterr()
    fixed = BEFORE.replace('engine = "postgres"', 'engine = "postgres"\n  multi_az = true')
    write(repo, {"infra/db/main.tf": fixed})
    code = main(["scan", "infra", "--baseline", "baseline.json", "--select", "RES302"])
    out = capsys.readouterr().out
    assert code == 0 and "1 baseline entry matched nothing" in out
    code = main(["scan", "infra", "--baseline", "baseline.json", "--select", "RES302", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["summary"]["baseline_unmatched"] == 1
    # scanning another folder does not count entries for files it did not look at
    main(["scan", "infra/app", "--baseline", "baseline.json", "--select", "RES302"])
    assert "matched nothing" not in capsys.readouterr().out
    # a deleted file's entries are stale too
    (repo / "infra" / "db" / "main.tf").unlink()
    main(["scan", "infra", "--baseline", "baseline.json", "--format", "concise", "--select", "RES3,RES1"])
    assert "matched nothing" in capsys.readouterr().out


def test_writing_a_baseline_from_part_of_the_repository_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--write-baseline` from a scan of one file (pre-commit), one folder or some rules wrote
    only what that scan found: every other file's entries were dropped, and came back as new
    findings in the next full run."""
    repo = write(tmp_path / "repo", {"db/main.tf": BEFORE, "app/main.tf": BEFORE.replace('"orders"', '"app"')})
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    baseline = repo / ".resilint-baseline.json"
    assert main(["scan", ".", "--no-cache", "--write-baseline", str(baseline), "--format", "json"]) == 0
    everything = json.loads(baseline.read_text())["findings"]
    assert {e["path"] for e in everything} == {"app/main.tf", "db/main.tf"}
    capsys.readouterr()
    for argv in (["db/main.tf"], ["db"], [".", "--select", "RES302"]):
        assert main(["scan", *argv, "--no-cache", "--write-baseline", str(baseline), "--format", "json"]) == 0
        assert json.loads(baseline.read_text())["findings"] == everything, argv
        assert "and kept" in capsys.readouterr().err
        code, shown = findings(capsys, ".", "--baseline", str(baseline))
        assert (code, shown) == (0, [])
    # What the partial scan checked is replaced: a fixed finding leaves, the rest stays.
    write(repo, {"db/main.tf": BEFORE.replace('engine = "postgres"', 'engine = "postgres"\n  multi_az = true')})
    main(["scan", "db", "--no-cache", "--write-baseline", str(baseline), "--format", "json"])
    left = json.loads(baseline.read_text())["findings"]
    assert [(e["path"], e["rule_id"]) for e in left if e["path"] == "db/main.tf"] == [("db/main.tf", "RES103")]
    assert [e for e in left if e["path"] == "app/main.tf"] == [e for e in everything if e["path"] == "app/main.tf"]


def test_a_baseline_given_with_another_one_to_write_is_said_to_be_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--baseline old.json --write-baseline new.json ignored old.json without a word."""
    write(tmp_path, {"main.tf": BEFORE})
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    main(["scan", str(tmp_path), "--no-cache", "--write-baseline", str(old)])
    capsys.readouterr()
    main(["scan", str(tmp_path), "--no-cache", "--baseline", str(old), "--write-baseline", str(new)])
    assert f"resilint: warning: --baseline {old} is not read with --write-baseline {new}\n" in capsys.readouterr().err
    main(["scan", str(tmp_path), "--no-cache", "--baseline", str(new), "--write-baseline", str(new)])
    assert "warning" not in capsys.readouterr().err, "updating a baseline in place is the usual way"
