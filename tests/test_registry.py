"""Rule loading: the entry point, --rules-dir, and plugins that are broken."""

from __future__ import annotations

import itertools
import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.registry import RulesLoading, load_rules
from tests.conftest import write

GOOD_RULE = '''
from resilint.rule import Severity, Violation, rule

@rule(id="ACME101", name="queue-without-name", severity=Severity.NOTE,
      summary="An SQS queue has no name", fix="Name the queue")
def check(unit, project):
    """
    ## What it does
    Flags queues without a name.
    ## Why is this bad?
    Nameless queues are hard to find.
    ## Example
    `resource "aws_sqs_queue" "q" {}`
    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/welcome.html
    """
    for queue in unit.of_type("aws_sqs_queue"):
        if queue.get("name") is None:
            yield Violation(f"{queue.address} has no name", at=queue)
'''

CRASHING_RULE = GOOD_RULE.replace("ACME101", "ACME102").replace("queue-without-name", "always-crashes").replace(
    "for queue in", "raise KeyError('tags')\n    for queue in"
)


def test_builtin_rules_come_through_the_entry_point() -> None:
    (ep,) = [e for e in entry_points(group="resilint.rules") if e.name == "RES"]
    assert ep.value == "resilint_rules:RULES"
    assert {r.id for r in ep.load()} >= {"RES101", "RES302"}


def test_rules_dir_loads_local_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = write(tmp_path / "rules", {"acme.py": GOOD_RULE, "_helper.py": "raise RuntimeError('not loaded')"})
    infra = write(tmp_path / "infra", {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    assert "ACME101" in {r.id for r in load_rules((rules,)).rules}
    code = main(["scan", str(infra), "--rules-dir", str(rules), "--select", "ACME", "--format", "json", "--fail-on", "note"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule_id"], f["resource"]) for f in findings] == [("ACME101", "aws_sqs_queue.q")]


def test_broken_plugins_are_reported_and_the_scan_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = write(
        tmp_path / "rules",
        {
            "a_syntax.py": "def broken(:\n",
            "b_import.py": "import module_that_does_not_exist\n",
            "c_crash.py": CRASHING_RULE,
            "d_duplicate.py": GOOD_RULE.replace("ACME101", "RES302"),
            "e_bad_meta.py": GOOD_RULE.replace('"ACME101"', '"acme-1"'),
            "f_exit.py": "raise SystemExit(3)\n",
        },
    )
    infra = write(tmp_path / "infra", {"main.tf": 'resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n'})
    code = main(["scan", str(infra), "--rules-dir", str(rules), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    internal = [f for f in findings if f["rule_id"] == "RES002"]
    messages = " | ".join(f["message"] for f in internal)
    assert len(internal) == 6, messages
    assert "a_syntax.py" in messages and "SyntaxError" in messages
    assert "ModuleNotFoundError" in messages
    assert "rule ACME102 (always-crashes) failed on unit" in messages and "KeyError" in messages
    assert "RES302 is already taken by resilint_rules.database_without_multi_az" in messages
    assert "is not 2-4 capitals and 3 digits" in messages
    assert "SystemExit" in messages
    assert any(f["rule_id"] == "RES302" for f in findings), "the built-in rules still ran"


def test_rules_loaded_in_steps_are_the_rules_load_rules_gives(tmp_path: Path) -> None:
    """A scan takes steps of loading the rules while its workers parse (any number of them,
    maybe none); what it ends with is what load_rules gives, plugin errors included."""
    rules = write(tmp_path / "rules", {"acme.py": GOOD_RULE, "b_import.py": "import module_that_does_not_exist\n"})
    expected = load_rules((rules,))
    for taken in (0, 1, 3, 1000):  # 1000: every step there is
        loading = RulesLoading((rules,))
        assert len(list(itertools.islice(loading.steps(), taken))) == taken or taken == 1000
        registry = loading.registry()
        assert [r.id for r in registry.rules] == [r.id for r in expected.rules]
        assert registry.errors == expected.errors
        assert loading.registry() is registry
    assert sum(1 for _ in RulesLoading().steps()) > 10, "small steps: the parent goes back to its workers' results between them"


def test_the_last_step_loads_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build long enough for every step leaves nothing of the rules to load after it."""
    from resilint import registry as registry_module

    calls: list[int] = []

    def counted(rules_dirs: tuple[Path, ...] = ()) -> registry_module.Registry:
        calls.append(len(calls))
        return load_rules(rules_dirs)

    monkeypatch.setattr(registry_module, "load_rules", counted)
    loading = RulesLoading()
    for _ in loading.steps():
        pass
    assert calls == [0], "load_rules ran within the steps"
    assert [r.id for r in loading.registry().rules] == [r.id for r in load_rules().rules]
    assert calls == [0], "and not again"
