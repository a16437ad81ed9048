"""The command line: `resilint scan | rules | explain`. It wires the pieces together and holds no
logic of its own. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration
or parse errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from resilint import __version__

EXIT_USAGE = 2
FORMATS = ("text", "json")
SEVERITIES = ("error", "warning", "note")  # resilint.rule.Severity, without importing pydantic


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.handler(args)
        return code
    except UsageError as exc:
        print(f"resilint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("resilint: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resilint",
        description="Find single-region deployments, single-provider DNS and missing failover "
        "in Terraform and CloudFormation before they ship.",
    )
    parser.add_argument("--version", action="version", version=f"resilint {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    scan = commands.add_parser("scan", help="scan files or folders", description="Scan Terraform and CloudFormation.")
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    scan.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    scan.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report to FILE")
    scan.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default="warning",
        help="exit 1 when a finding is at or above this severity (default: warning)",
    )
    scan.add_argument("--select", metavar="RULES", help="comma-separated rule ids or prefixes to run")
    scan.add_argument("--ignore", metavar="RULES", help="comma-separated rule ids or prefixes to skip")
    scan.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    scan.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR", help="load rule modules from DIR")
    scan.add_argument("--var-file", action="append", default=[], type=Path, metavar="FILE", help="Terraform variable file")
    scan.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable value")
    scan.add_argument(
        "--max-file-size",
        type=int,
        metavar="MIB",
        default=20,
        help="report files larger than this many MiB instead of reading them (default: 20)",
    )
    scan.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file afresh instead of reusing the parse cache ($RESILINT_CACHE_DIR)",
    )
    scan.set_defaults(handler=_scan, command="scan")

    rules = commands.add_parser("rules", help="list the available rules")
    rules.add_argument("--format", choices=FORMATS, default="text")
    rules.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    rules.set_defaults(handler=_rules, command="rules")

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule_id", metavar="RULE_ID")
    explain.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    explain.set_defaults(handler=_explain, command="explain")
    return parser


def _codes(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def _scan(args: argparse.Namespace) -> int:
    from resilint.cache import ParseCache
    from resilint.config import Settings, unknown_codes
    from resilint.findings import exit_code
    from resilint.parsers import ParseOptions
    from resilint.registry import load_rules
    from resilint.reporters.console import is_interactive, progress
    from resilint.rule import Severity
    from resilint.scan import scan

    paths = list(args.paths) or [Path(".")]
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
    for folder in args.rules_dir:
        if not folder.is_dir():
            raise UsageError(f"--rules-dir {folder}: not a folder")
    for var_file in args.var_file:
        if not var_file.is_file():
            raise UsageError(f"--var-file {var_file}: no such file")
    variables = []
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        variables.append((name.strip(), value))
    if args.max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of MiB")

    settings = Settings(
        select=_codes(args.select),
        ignore=_codes(args.ignore),
        fail_on=Severity(args.fail_on),
        rules_dirs=tuple(args.rules_dir),
        exclude=tuple(args.exclude),
        max_file_bytes=args.max_file_size << 20,
    )
    registry = load_rules(settings.rules_dirs)
    known = {r.id for r in registry.rules}
    unknown = unknown_codes(settings.select + settings.ignore, known)
    if unknown:
        raise UsageError(f"unknown rule id {', '.join(unknown)} (see `resilint rules`)")
    options = ParseOptions(
        var_files=tuple(args.var_file),
        variables=tuple(variables),
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        max_file_bytes=settings.max_file_bytes,
        cache=None if args.no_cache else ParseCache(),
    )
    interactive = args.output is None and is_interactive(sys.stdout)
    with progress(is_interactive(sys.stderr)) as say:
        result = scan(paths, settings, options, registry, say)
    _write(args, _render(args.format, result, interactive))
    return exit_code(result.findings, settings.fail_on)


def _render(fmt: str, result: object, interactive: bool) -> str:
    from resilint.reporters import Report
    from resilint.scan import ScanResult

    assert isinstance(result, ScanResult)
    report = Report(
        findings=result.findings,
        rules=result.registry.by_id(),
        files_scanned=result.project.files_scanned,
        units=len(result.project.units),
        duration=result.duration if fmt == "text" else None,
    )
    if fmt == "json":
        from resilint.reporters import json as json_reporter

        return json_reporter.render(report)
    from resilint.reporters.console import terminal_width
    from resilint.reporters.text import TextStyle, render

    style = TextStyle(colour=interactive, width=terminal_width() if interactive else 100)
    return render(report, style)


def _write(args: argparse.Namespace, text: str) -> None:
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None


def _rules(args: argparse.Namespace) -> int:
    from resilint.registry import load_rules

    registry = load_rules(tuple(args.rules_dir))
    rules = sorted(registry.rules, key=lambda r: r.id)
    if args.format == "json":
        import json

        data = [
            {"id": r.id, "name": r.name, "severity": r.severity.value, "summary": r.summary, "tags": list(r.tags), "origin": r.origin}
            for r in rules
        ]
        print(json.dumps(data, indent=2))
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            print(f"{r.id}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}")
    for error in registry.errors:
        print(f"resilint: warning: rule plugin {error.source}: {error.message}", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from resilint.registry import load_rules

    registry = load_rules(tuple(args.rules_dir))
    wanted = args.rule_id.strip().upper()
    by_id = registry.by_id()
    by_name = {r.name: r for r in registry.rules}
    found = by_id.get(wanted) or by_name.get(args.rule_id.strip().lower())
    if found is None:
        raise UsageError(f"no rule {args.rule_id!r} (see `resilint rules`)")
    from resilint.docs import rule_page

    print(rule_page(found), end="")
    return 0
