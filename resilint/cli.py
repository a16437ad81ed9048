"""The command line: `resilint scan | rules | explain`. It wires the pieces together and holds no
logic of its own. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration
or parse errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from resilint import __version__

EXIT_USAGE = 2
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")
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
    except Exception as exc:  # anything else is a bug in resilint, never "findings" (exit 1)
        if getattr(args, "debug", False):
            import traceback

            traceback.print_exc()
        else:
            print(
                f"resilint: internal error: {type(exc).__name__}: {exc}; "
                "run again with --debug for the traceback, and please report it",
                file=sys.stderr,
            )
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resilint",
        description="Find single-region deployments, single-provider DNS and missing failover "
        "in Terraform and CloudFormation before they ship.",
    )
    parser.add_argument("--version", action="version", version=f"resilint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    parser.set_defaults(command=None)
    # --debug is also accepted after the command; SUPPRESS keeps a subcommand from resetting it
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    scan = commands.add_parser(
        "scan",
        parents=[debug],
        help="scan files or folders",
        description="Scan Terraform and CloudFormation. Files given one by one (as pre-commit "
        "passes them) are analysed with the rest of the working tree, and only their own "
        "findings are reported.",
    )
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    out = scan.add_argument_group("output")
    out.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        metavar="FORMAT",
        help=f"output format, repeatable: {', '.join(FORMATS)} (default: text)",
    )
    out.add_argument(
        "--output",
        "-o",
        action="append",
        default=[],
        metavar="[FORMAT=]FILE",
        help="write a format's report to FILE instead of standard output (sarif=results.sarif); "
        "a bare FILE when there is one format",
    )
    out.add_argument("--show-suppressed", action="store_true", help="list findings silenced inline")
    out.add_argument("--show-config", action="store_true", help="print the effective configuration and exit")
    choice = scan.add_argument_group("what to report")
    choice.add_argument("--fail-on", choices=SEVERITIES, help="exit 1 when a finding is at or above this severity (default: warning)")
    choice.add_argument("--select", metavar="RULES", help="comma-separated rule ids or prefixes to run")
    choice.add_argument("--ignore", metavar="RULES", help="comma-separated rule ids or prefixes to skip")
    choice.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    choice.add_argument("--no-inline-suppressions", action="store_true", help="ignore resilint:ignore comments and Metadata (audit)")
    choice.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not in this baseline")
    choice.add_argument("--write-baseline", type=Path, metavar="FILE", help="record today's findings as the baseline")
    inputs = scan.add_argument_group("inputs")
    inputs.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: nearest .resilint.toml or pyproject.toml)")
    inputs.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR", help="load rule modules from DIR")
    inputs.add_argument("--var-file", action=_Assignment, dest="assignments", metavar="FILE", help="Terraform variable file (applied in order with --var)")
    inputs.add_argument("--var", action=_Assignment, dest="assignments", metavar="NAME=VALUE", help="Terraform variable value")
    inputs.add_argument("--max-file-size", type=int, metavar="MIB", help="report files larger than this many MiB instead of reading them (default: 20)")
    inputs.add_argument("--no-cache", action="store_true", help="parse every file afresh instead of reusing the parse cache ($RESILINT_CACHE_DIR)")
    scan.set_defaults(handler=_scan, command="scan")

    systems = commands.add_parser(
        "systems",
        parents=[debug],
        help="show the systems found: units deployed together, their regions and why",
        description="Print the systems resilint finds (units deployed together, from remote state, "
        "region folders, Terragrunt, nested stacks, StackSets and [[systems]] in configuration), "
        "each with its units, regions and the links that joined them.",
    )
    systems.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    systems.add_argument("--format", choices=("text", "json"), default="text")
    systems.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: nearest .resilint.toml or pyproject.toml)")
    systems.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    systems.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    systems.set_defaults(handler=_systems, command="systems")

    rules = commands.add_parser("rules", parents=[debug], help="list the available rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    rules.set_defaults(handler=_rules, command="rules")

    explain = commands.add_parser("explain", parents=[debug], help="show a rule's documentation")
    explain.add_argument("rule_id", metavar="RULE_ID")
    explain.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    explain.set_defaults(handler=_explain, command="explain")
    return parser


class _Assignment(argparse.Action):
    """--var-file and --var into one list in command-line order, as Terraform applies them."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append(("file" if option == "--var-file" else "var", values))
        setattr(namespace, self.dest, items)


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(code.strip().upper() for code in text.split(",") if code.strip())


def _destinations(formats: list[str], outputs: list[str]) -> dict[str, Path | None]:
    """Format -> file (None: standard output), from --format and --output."""
    destinations: dict[str, Path | None] = {fmt: None for fmt in formats}
    for item in outputs:
        fmt, sep, file = item.partition("=")
        if sep and fmt in FORMATS:
            if fmt not in destinations:
                destinations[fmt] = None  # --output sarif=FILE alone also asks for SARIF
            destinations[fmt] = Path(file)
        elif len(destinations) == 1:
            destinations[next(iter(destinations))] = Path(item)
        else:
            raise UsageError(f"--output {item}: with several formats, name the format (--output sarif={item})")
    if list(destinations.values()).count(None) > 1:
        raise UsageError("only one format can go to standard output; send the others to files with --output FORMAT=FILE")
    return destinations


def _scan(args: argparse.Namespace) -> int:
    from resilint.baseline import BaselineError, read, write
    from resilint.cache import ParseCache
    from resilint.config import CommandLine, ConfigError, resolve, unknown_codes
    from resilint.findings import exit_code
    from resilint.parsers import ParseOptions
    from resilint.registry import load_rules
    from resilint.reporters.console import is_interactive, progress
    from resilint.scan import scan, with_baseline

    paths = list(args.paths) or [Path(".")]
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
    assignments: list[tuple[str, str, str]] = []
    for kind, item in args.assignments or []:
        if kind == "file":
            assignments.append(("file", item, ""))
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        assignments.append(("var", name.strip(), value))
    if args.max_file_size is not None and args.max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of MiB")
    formats = args.format or ["text"]
    destinations = _destinations(formats, args.output)

    command_line = CommandLine(
        select=_codes(args.select),
        ignore=_codes(args.ignore),
        fail_on=args.fail_on,
        exclude=tuple(args.exclude),
        rules_dirs=tuple(args.rules_dir),
        max_file_size=args.max_file_size,
        inline_suppressions=False if args.no_inline_suppressions else None,
    )
    try:
        settings = resolve(command_line, args.config, paths[0], load_rules)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    for folder in settings.rules_dirs:
        if not folder.is_dir():
            raise UsageError(f"rules folder {folder}: not a folder")
    for var_file in [*settings.var_files, *(Path(a[1]) for a in assignments if a[0] == "file")]:
        if not var_file.is_file():
            raise UsageError(f"var file {var_file}: no such file")
    if args.show_config:
        print(_config_text(settings))
        return 0
    registry = load_rules(settings.rules_dirs)
    unknown = unknown_codes(settings.select + settings.ignore, {r.id for r in registry.rules})
    if unknown:
        raise UsageError(f"unknown rule id {', '.join(unknown)} (see `resilint rules`)")
    baseline = None
    if args.baseline is not None and args.write_baseline is None:
        try:
            baseline = read(args.baseline)
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    options = ParseOptions(
        var_files=settings.var_files,
        command_line=tuple(assignments),
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        max_file_bytes=settings.max_file_bytes,
        cloudformation_regions=settings.regions_for,
        cache=None if args.no_cache else ParseCache(),
    )
    with progress(is_interactive(sys.stderr)) as say:
        result = scan(paths, settings, options, registry, say, baseline)
    if args.write_baseline is not None:
        try:
            count = write(args.write_baseline, [f for f in result.before_baseline if f.rule_id not in ("RES001", "RES002")])
        except OSError as exc:
            raise UsageError(f"cannot write {args.write_baseline}: {exc.strerror or exc}") from None
        print(f"resilint: wrote {count} findings to the baseline {args.write_baseline}", file=sys.stderr)
        result = with_baseline(result, read(args.write_baseline))
    for fmt, target in destinations.items():
        interactive = target is None and fmt == "text" and is_interactive(sys.stdout)
        _write(target, _render(fmt, result, interactive, args.show_suppressed))
    return exit_code(result.findings, settings.fail_on)


def _config_text(settings: Any) -> str:
    import json

    data = settings.model_dump(mode="json")
    return json.dumps(data, indent=2, sort_keys=True)


def _render(fmt: str, result: Any, interactive: bool, show_suppressed: bool) -> str:
    from resilint.reporters import Report

    report = Report(
        findings=result.findings,
        rules=result.registry.by_id(),
        files_scanned=result.project.files_scanned,
        units=len(result.project.units),
        duration=result.duration if fmt == "text" else None,
        suppressed=result.suppressed,
        show_suppressed=show_suppressed,
        baselined=result.baselined,
    )
    if fmt == "text":
        from resilint.reporters.console import terminal_width
        from resilint.reporters.text import TextStyle, render

        return render(report, TextStyle(colour=interactive, width=terminal_width() if interactive else 100))
    from importlib import import_module

    module = import_module(f"resilint.reporters.{fmt}")
    text: str = module.render(report)
    return text


def _write(target: Path | None, text: str) -> None:
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def _systems(args: argparse.Namespace) -> int:
    from resilint.cache import ParseCache
    from resilint.config import CommandLine, ConfigError, resolve
    from resilint.parsers import ParseOptions
    from resilint.registry import load_rules
    from resilint.scan import load_project
    from resilint.systems.report import render_json, render_text

    paths = list(args.paths) or [Path(".")]
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder")
    try:
        settings = resolve(CommandLine(exclude=tuple(args.exclude)), args.config, paths[0], load_rules)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    options = ParseOptions(
        var_files=settings.var_files,
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        max_file_bytes=settings.max_file_bytes,
        cloudformation_regions=settings.regions_for,
        cache=None if args.no_cache else ParseCache(),
    )
    project = load_project(paths, settings, options)
    _write(None, render_json(project) if args.format == "json" else render_text(project))
    return 0


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
    from resilint.docs import rule_page
    from resilint.registry import load_rules

    registry = load_rules(tuple(args.rules_dir))
    wanted = args.rule_id.strip().upper()
    by_id = registry.by_id()
    by_name = {r.name: r for r in registry.rules}
    found = by_id.get(wanted) or by_name.get(args.rule_id.strip().lower())
    if found is None:
        raise UsageError(f"no rule {args.rule_id!r} (see `resilint rules`)")
    print(rule_page(found), end="")
    return 0
