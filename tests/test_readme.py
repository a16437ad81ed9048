"""README snippets work as copied: commands parse, configuration validates, pre-commit and action
snippets name revisions that exist, the JSON example is JSON."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from resilint.cli import build_parser
from resilint.config import load_file

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", README, flags=re.S | re.M)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == language]


def commands() -> list[list[str]]:
    found = []
    for body in blocks("sh") + blocks("yaml"):
        for line in body.splitlines():
            text = line.strip().removeprefix("- run: ")
            if text.startswith("resilint "):
                argv = shlex.split(text, comments=True)
                found.append(argv[1:])
    return found


@pytest.mark.parametrize("argv", commands(), ids=lambda argv: " ".join(argv)[:60])
def test_every_command_parses(argv: list[str]) -> None:
    build_parser().parse_args(argv)  # SystemExit (a usage error) fails the test


def test_every_configuration_snippet_validates(tmp_path: Path) -> None:
    snippets = blocks("toml")
    pyproject = next(s for s in snippets if "[tool.resilint]" in s)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    load_file(tmp_path / "pyproject.toml")


def test_json_example_is_json() -> None:
    (example,) = [b for b in blocks("json") if '"findings"' in b]
    assert json.loads(example)["version"] == "1"


def _existing_revisions() -> set[str]:
    tags = subprocess.run(["git", "tag"], cwd=REPO, capture_output=True, text=True).stdout.split()
    return {"main", *tags}


def test_pre_commit_snippets_name_a_revision_that_exists_and_valid_arguments() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    entry = shlex.split(hooks[0]["entry"])
    configs = [yaml.safe_load(b) for b in blocks("yaml") if b.startswith("# .pre-commit-config.yaml")]
    assert configs, "the README shows a .pre-commit-config.yaml"
    fragments = [yaml.safe_load(textwrap.dedent(b)) for b in blocks("yaml") if b.lstrip().startswith("- id: resilint")]
    seen = []
    for config in configs:
        (repo,) = config["repos"]
        assert repo["rev"] in _existing_revisions(), f"rev {repo['rev']} does not exist (no such tag)"
        seen += repo["hooks"]
    for fragment in fragments:
        seen += fragment
    assert len(seen) >= 2
    for hook in seen:
        assert hook["id"] == hooks[0]["id"]
        build_parser().parse_args([*entry[1:], *hook.get("args", []), "main.tf"])
        if "exclude" in hook:
            re.compile(hook["exclude"])
    shown = " ".join(str(a) for hook in seen for a in hook.get("args", []))
    assert "--exit-zero" in shown and "concise" in shown


def test_action_snippets_name_a_revision_that_exists() -> None:
    for ref in re.findall(r"uses: resilint/resilint@(\S+)", README):
        assert ref in _existing_revisions(), ref
