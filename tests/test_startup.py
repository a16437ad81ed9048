"""Start-up stays light: heavy dependencies load only when a scan needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# resilint's own modules that a scan imports only when it uses them.
LIGHT_ONLY_WHEN_USED = (
    "resilint.simulate",
    "resilint.baseline",
    "resilint.file_mode",
    "resilint.file_index",
    "resilint.parsers.terraform.terragrunt",
)

PROBE = f"""
LIGHT_ONLY_WHEN_USED = {LIGHT_ONLY_WHEN_USED!r}
import json, sys
from resilint.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
heavy = sorted(m for m in ("cfnlint", "lark", "hcl2", "tree_sitter", "pydantic", "rich", "sympy", "networkx", "regex") if m in sys.modules)
heavy += sorted(m for m in LIGHT_ONLY_WHEN_USED if m in sys.modules)
decoder = sys.modules.get("resilint.parsers.cfn_decoder")
if decoder is not None and decoder._decoder is not None:
    heavy.append("cfn-decoder")  # cfn-lint's decoder, loaded without the rest of cfn-lint
sys.stderr.write("LOADED:" + ",".join(heavy) + "\\n")
"""


def loaded(argv: list[str], cache: Path | None = None) -> set[str]:
    env = dict(os.environ)
    if cache is not None:
        env["RESILINT_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, env=env
    )
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("LOADED:")][-1]
    return set(filter(None, line[len("LOADED:"):].split(",")))


def test_version_imports_nothing_heavy() -> None:
    assert loaded(["--version"]) == set()


def test_terraform_scan_does_not_import_cfn_lint() -> None:
    modules = loaded(["scan", "fixtures/database_without_multi_az/fail_multi_az_absent", "--format", "json", "--no-cache"])
    assert "cfnlint" not in modules
    assert "tree_sitter" in modules  # the Terraform parser (Lark only for files tree-sitter leaves)


def test_folder_scan_imports_only_what_it_uses(tmp_path: Path) -> None:
    """No objectives, baseline, named files or Terragrunt: none of their modules is imported
    (start-up is most of a small repository's scan)."""
    argv = ["scan", "fixtures/database_without_multi_az/fail_multi_az_absent", "--format", "json", "-o", str(tmp_path / "out.json")]
    assert not set(LIGHT_ONLY_WHEN_USED) & loaded([*argv, "--no-cache"])
    assert "resilint.baseline" in loaded([*argv, "--no-cache", "--write-baseline", str(tmp_path / "baseline.json")])
    loaded(argv, tmp_path / "cache")
    warm = loaded(argv, tmp_path / "cache")
    assert not {"lark", "tree_sitter", "regex"} & warm, "a warm Terraform scan parses and evaluates nothing"


def test_plain_text_output_needs_no_rich(tmp_path: Path) -> None:
    """The text report, not to a terminal, is written without rich (which only colour needs)."""
    argv = ["scan", "fixtures/database_without_multi_az/fail_multi_az_absent", "--no-cache"]
    assert "rich" not in loaded(argv)
    assert "rich" not in loaded([*argv, "-o", str(tmp_path / "report.txt")])
    assert "rich" in loaded([*argv, "--color", "always"])


def test_named_files_use_the_file_index(tmp_path: Path) -> None:
    argv = ["scan", "fixtures/database_without_multi_az/fail_multi_az_absent/main.tf", "--format", "json", "-o", str(tmp_path / "out.json")]
    assert {"resilint.file_mode", "resilint.file_index"} <= loaded(argv, tmp_path / "cache")


def test_warm_scan_needs_no_parser(tmp_path: Path) -> None:
    argv = ["scan", "fixtures/example", "--format", "json", "-o", str(tmp_path / "out.json")]
    assert {"cfn-decoder", "tree_sitter"} <= loaded(argv, tmp_path / "cache")
    assert not {"cfn-decoder", "cfnlint", "lark", "tree_sitter"} & loaded(argv, tmp_path / "cache"), (
        "a warm cache answers without a Terraform parser or cfn-lint"
    )


def test_cloudformation_scan_imports_only_the_decoder() -> None:
    """cfn-lint's package imports its rules, sympy and networkx; decoding needs none of them."""
    modules = loaded(["scan", "fixtures/example", "--format", "json", "--no-cache"])
    assert "cfn-decoder" in modules
    assert not {"cfnlint", "sympy", "networkx"} & modules


def test_real_cfn_lint_still_imports_after_the_light_decoder() -> None:
    """The stand-ins never outlive a decode: cfn-lint imported afterwards is the real package."""
    code = (
        "from resilint.parsers.cfn_decoder import decode_str\n"
        "assert decode_str('a: [')[0] is None\n"
        "import cfnlint, cfnlint.decode\n"
        "from cfnlint.rules import RulesCollection\n"
        "template, matches = cfnlint.decode.decode_str('a: [')\n"
        "print(type(matches[0].rule).__module__, decode_str('a: [')[1][0].linenumber)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["cfnlint.rules.errors.parse", "2"]


def test_a_decoder_that_needs_more_of_cfn_lint_falls_back_to_the_whole_package() -> None:
    """A future cfn-lint 1.x whose decoder imports more than the stand-ins give must cost
    start-up time, never templates: the whole package is loaded and decoding goes on."""
    code = (
        "import contextlib\n"
        "from resilint.parsers import cfn_decoder\n"
        "@contextlib.contextmanager\n"
        "def needs_more():\n"
        "    raise ImportError('cannot import name X from cfnlint.rules')\n"
        "    yield\n"
        "cfn_decoder._light_cfnlint = needs_more\n"
        "template, matches = cfn_decoder.decode_str('Resources:\\n  Q:\\n    Type: AWS::SQS::Queue\\n')\n"
        "bad, errors = cfn_decoder.decode_str('a: [')\n"
        "import sys\n"
        "print(sorted(template['Resources']), bad, errors[0].linenumber, 'sympy' in sys.modules or 'cfnlint.rules' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['Q']", "None", "2", "True"]
