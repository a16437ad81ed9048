"""The command line: `resilint scan | rules | explain`. It wires the pieces together and holds no
logic of its own. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration
or parse errors."""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from resilint import __version__

EXIT_USAGE = 2
FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "markdown")
SEVERITIES = ("error", "warning", "note")  # resilint.rule.Severity, without importing pydantic
FAIL_ON = (*SEVERITIES, "never")
SIMULATE_FORMATS = ("text", "json", "markdown", "html")  # resilint.simulate.report.FORMATS  # resilint.config.FAIL_ON_CHOICES
COLOR = ("auto", "always", "never")  # resilint.reporters.console.COLOR_CHOICES
ENVIRONMENT_PREFIX = "RESILINT_"
# RESILINT_* variables that are not `scan` options: the parse cache's folder, parse processes.
OTHER_VARIABLES = ("RESILINT_CACHE_DIR", "RESILINT_WORKERS")
# Options that cannot come from the environment: Terraform has TF_VAR_* for variables.
NOT_FROM_ENVIRONMENT = ("--var", "--var-file", "--parameter", "--parameter-file", "--help")


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        _working_directory()
        if args.command == "scan":
            _from_environment(args, parser.commands["scan"], os.environ)
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


def run() -> NoReturn:
    """The program (the `resilint` command and `python -m resilint`): `main`, then out of the
    process without the interpreter's teardown. Everything is written by then (reports and
    baselines renamed into place, the parse cache's entries, workers joined); the teardown
    would only free the scan's objects one by one after a collection over all of them: 0.6-0.9
    s at 20x the generated monorepo on a loaded machine, after the output was complete (mypy
    leaves the same way). Tests call `main`, which returns.

    The collector's youngest generation is collected every 50,000 allocations, not 700, from
    the start: importing the modules a scan needs (pydantic building its model classes above
    all) allocates many objects and no garbage, and with the default the collector walked them
    about 50 times and the older generation 5 times before the scan (a hundredth of a cold
    scan of aws-cloudformation-templates, all of it before the workers start). The scan keeps
    the same threshold (`parsers.guards.sparse_gc`)."""
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (broken pipe) or a stream closed: nothing to write to
            pass
    os._exit(code)


def _working_directory() -> str:
    """Display paths are relative to the working directory: one removed while resilint starts
    (a temporary folder another process cleaned up) is a usage error, not an internal error."""
    try:
        return os.getcwd()
    except FileNotFoundError:
        raise UsageError("the working directory no longer exists (was it removed?); run resilint from an existing folder") from None


class Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for misspelt options and choices, and its subcommands'
    parsers by name (`commands`), so that each command can be added by its own function."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, Parser] = {}

    def error(self, message: str) -> Any:  # argparse's signature: it exits
        super().error(message + _suggestion(self, message))

    def all_options(self) -> list[str]:
        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        for command in self.commands.values():
            options += command.all_options()
        return sorted(set(options))


def _suggestion(parser: Parser, message: str) -> str:
    unrecognised = re.search(r"unrecognized arguments: (.+)$", message)
    if unrecognised:
        hints = []
        for token in unrecognised.group(1).split():
            if token.startswith("--"):
                close = difflib.get_close_matches(token.split("=")[0], parser.all_options(), n=1, cutoff=0.6)
                if close:
                    hints.append(f"{token.split('=')[0]}: did you mean {close[0]}?")
        return ("\n" + "\n".join(hints)) if hints else ""
    choice = re.search(r"invalid choice: '?([^'\s]*)'? \(choose from (.+)\)", message)
    if choice:
        options = [c.strip().strip("'\"") for c in choice.group(2).split(",")]
        close = difflib.get_close_matches(choice.group(1), options, n=1, cutoff=0.5)
        return f" (did you mean {close[0]}?)" if close else ""
    return ""


def build_parser() -> Parser:
    """The command line. Each subcommand is added by its own `_add_*` function, which registers
    its parser in `parser.commands` and sets `handler` and `command`."""
    parser = Parser(
        prog="resilint",
        description="Find single-region deployments, single-provider DNS and missing failover "
        "in Terraform and CloudFormation before they ship.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"resilint {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    parser.set_defaults(command=None)
    # --debug is also accepted after the command; SUPPRESS keeps a subcommand from resetting it
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    _add_scan(parser, commands, common)
    _add_systems(parser, commands, common)
    _add_simulate(parser, commands, common)
    _add_rules(parser, commands, common)
    _add_explain(parser, commands, common)
    return parser


def _add_scan(parser: Parser, commands: Any, common: argparse.ArgumentParser) -> None:
    scan = commands.add_parser(
        "scan",
        parents=[common],
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
    out.add_argument("--quiet", "-q", action="store_true", help="the findings only, no summary (text, concise)")
    out.add_argument("--color", choices=COLOR, default="auto", help="colour the text report: auto (a terminal, honouring NO_COLOR, FORCE_COLOR, TERM=dumb and CI), always, never")
    out.add_argument("--show-suppressed", action="store_true", help="list findings silenced inline, with their reasons (text, concise, markdown, json; sarif always carries them)")
    out.add_argument("--show-config", action="store_true", help="print the effective configuration as TOML and exit")
    choice = scan.add_argument_group("what to report")
    choice.add_argument("--fail-on", choices=FAIL_ON, help="exit 1 when a finding is at or above this severity; never: report only (default: warning)")
    choice.add_argument("--exit-zero", action="store_true", help="exit 0 whatever the findings (still 2 for usage errors and files that cannot be parsed)")
    choice.add_argument("--severity", metavar="LEVELS", help="comma-separated severities to report (error,warning,note); the others are neither shown nor fail the run")
    choice.add_argument("--select", metavar="RULES", help="comma-separated rule ids, prefixes or names to run")
    choice.add_argument("--ignore", metavar="RULES", help="comma-separated rule ids, prefixes or names to skip")
    choice.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB, relative to the working directory (repeatable)")
    choice.add_argument("--force-exclude", action="store_true", help="apply excludes to files named on the command line too (as pre-commit passes them)")
    choice.add_argument("--no-inline-suppressions", action="store_true", help="ignore resilint:ignore comments and Metadata (audit)")
    choice.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not in this baseline")
    choice.add_argument("--write-baseline", type=Path, metavar="FILE", help="record today's findings as the baseline")
    inputs = scan.add_argument_group("inputs")
    inputs.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: nearest .resilint.toml or pyproject.toml)")
    inputs.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR", help="load rule modules from DIR")
    inputs.add_argument("--var-file", action=_Assignment, dest="assignments", metavar="FILE", help="Terraform variable file (applied in order with --var)")
    inputs.add_argument("--var", action=_Assignment, dest="assignments", metavar="NAME=VALUE", help="Terraform variable value")
    _add_parameter_options(inputs)
    inputs.add_argument("--max-file-size", type=int, metavar="MIB", help="report files larger than this many MiB instead of reading them (default: 20)")
    inputs.add_argument("--no-cache", action="store_true", help="parse every file afresh instead of reusing the parse cache ($RESILINT_CACHE_DIR)")
    scan.set_defaults(handler=_scan, command="scan")
    parser.commands["scan"] = scan


def _add_systems(parser: Parser, commands: Any, common: argparse.ArgumentParser) -> None:
    systems = commands.add_parser(
        "systems",
        parents=[common],
        help="show the systems found: units deployed together, their regions and why",
        description="Print the systems resilint finds (units deployed together, from remote state, "
        "region folders, Terragrunt, nested stacks, StackSets and [[systems]] in configuration), "
        "each with its units, regions and the links that joined them.",
    )
    systems.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    systems.add_argument("--format", choices=("text", "json"), default="text")
    systems.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: nearest .resilint.toml or pyproject.toml)")
    systems.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    # The values a state read's address is built from (its unlinked reads say to give them so).
    systems.add_argument("--var-file", action=_Assignment, dest="assignments", metavar="FILE", help="Terraform variable file")
    systems.add_argument("--var", action=_Assignment, dest="assignments", metavar="NAME=VALUE", help="Terraform variable value")
    _add_parameter_options(systems)
    systems.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    systems.set_defaults(handler=_systems, command="systems")
    parser.commands["systems"] = systems


def _add_simulate(parser: Parser, commands: Any, common: argparse.ArgumentParser) -> None:
    simulate = commands.add_parser(
        "simulate",
        parents=[common],
        help="what goes down when a region, a zone or a provider fails",
        description="Simulate an outage over the scanned code: every system's entry points, what "
        "serves them and their data, judged up, degraded, down or unknown, with the path that explains it.",
    )
    simulate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: .)")
    what = simulate.add_argument_group("what fails")
    what.add_argument("--fail", action="append", metavar="TARGET", help="a region, zone, global service or provider (repeatable; see --list-targets)")
    what.add_argument("--scenario", metavar="NAME", help="a named historical outage (see --list-targets)")
    what.add_argument("--objectives", action="store_true", help="every failure the configuration's [[objectives]] must survive, as a matrix")
    what.add_argument("--list-targets", action="store_true", help="list targets and scenarios, and exit")
    shown = simulate.add_argument_group("output")
    shown.add_argument("--format", action="append", choices=SIMULATE_FORMATS, metavar="FORMAT", help=f"{', '.join(SIMULATE_FORMATS)} (default: text); repeatable")
    shown.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT=]FILE", help="write a format's report to FILE (html=report.html)")
    shown.add_argument("--fail-on", choices=("down", "degraded"), default="down", help="exit 1 when a system is down (default), or degraded or down")
    source = simulate.add_argument_group("inputs")
    source.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: nearest .resilint.toml or pyproject.toml)")
    source.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    source.add_argument("--var-file", action=_Assignment, dest="assignments", metavar="FILE", help="Terraform variable file")
    source.add_argument("--var", action=_Assignment, dest="assignments", metavar="NAME=VALUE", help="Terraform variable value")
    _add_parameter_options(source)
    source.add_argument("--no-cache", action="store_true", help="parse every file afresh")
    simulate.set_defaults(handler=_simulate, command="simulate")
    parser.commands["simulate"] = simulate


def _add_rules(parser: Parser, commands: Any, common: argparse.ArgumentParser) -> None:
    rules = commands.add_parser("rules", parents=[common], help="list the available rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    rules.add_argument("--config", type=Path, metavar="FILE", help="configuration file whose rules-dirs to load")
    rules.set_defaults(handler=_rules, command="rules")
    parser.commands["rules"] = rules


def _add_explain(parser: Parser, commands: Any, common: argparse.ArgumentParser) -> None:
    explain = commands.add_parser("explain", parents=[common], help="show a rule's documentation")
    explain.add_argument("rule_id", metavar="RULE_ID")
    explain.add_argument("--rules-dir", action="append", default=[], type=Path, metavar="DIR")
    explain.add_argument("--config", type=Path, metavar="FILE", help="configuration file whose rules-dirs to load")
    explain.set_defaults(handler=_explain, command="explain")
    parser.commands["explain"] = explain


def _from_environment(args: argparse.Namespace, scan: Parser, environ: Mapping[str, str]) -> None:
    """`RESILINT_<OPTION>` sets a `scan` option the command line did not give (as Trivy's
    `TRIVY_<FLAG>`): `RESILINT_FAIL_ON=error`, `RESILINT_EXCLUDE=a,b` (lists comma-separated),
    `RESILINT_EXIT_ZERO=1`. The command line wins over the environment, the environment over
    the configuration file. An unknown RESILINT_ variable is a warning, with the nearest name."""
    by_variable: dict[str, argparse.Action] = {}
    for action in scan._actions:
        long = next((o for o in action.option_strings if o.startswith("--")), None)
        if long is not None and long not in NOT_FROM_ENVIRONMENT:
            by_variable[ENVIRONMENT_PREFIX + long[2:].upper().replace("-", "_")] = action
    for variable in sorted(environ):
        if not variable.startswith(ENVIRONMENT_PREFIX) or variable in OTHER_VARIABLES:
            continue
        found = by_variable.get(variable)
        if found is None:
            hint = difflib.get_close_matches(variable, [*by_variable, *OTHER_VARIABLES], n=1, cutoff=0.6)
            nearest = f" (did you mean {hint[0]}?)" if hint else ""
            print(f"resilint: warning: {variable} is not a resilint setting{nearest}", file=sys.stderr)
            continue
        action = found
        if getattr(args, action.dest) != action.default:
            continue  # given on the command line
        value = environ[variable].strip()
        option = action.option_strings[-1]
        if action.nargs == 0:  # a flag
            if value.lower() in ("", "0", "false", "no", "off"):
                continue
            if value.lower() not in ("1", "true", "yes", "on"):
                raise UsageError(f"{variable}={value!r}: expected true or false")
            tokens = [option]
        elif isinstance(action, argparse._AppendAction):
            tokens = [t for item in value.split(",") if item.strip() for t in (option, item.strip())]
        else:
            tokens = [option, value]
        scan.exit_on_error = False  # raise ArgumentError instead of printing usage and exiting
        try:
            parsed = scan.parse_args(tokens)
        except (argparse.ArgumentError, SystemExit) as exc:
            raise UsageError(f"{variable}={value!r}: {exc}") from None
        finally:
            scan.exit_on_error = True
        setattr(args, action.dest, getattr(parsed, action.dest))


def _add_parameter_options(group: Any) -> None:
    group.add_argument(
        "--parameter-file",
        action=_Parameter,
        dest="parameters",
        metavar="FILE",
        help="CloudFormation parameter values: a create-stack JSON list, {\"Parameters\": {...}} or NAME=VALUE lines (applied in order with --parameter)",
    )
    group.add_argument("--parameter", action=_Parameter, dest="parameters", metavar="NAME=VALUE", help="CloudFormation parameter value (wins over configuration and files before it)")


class _Parameter(argparse.Action):
    """--parameter-file and --parameter into one list in command-line order (a later value wins)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append(("file" if option == "--parameter-file" else "parameter", values))
        setattr(namespace, self.dest, items)


class _Assignment(argparse.Action):
    """--var-file and --var into one list in command-line order, as Terraform applies them."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None) -> None:
        items = list(getattr(namespace, self.dest, None) or [])
        items.append(("file" if option == "--var-file" else "var", values))
        setattr(namespace, self.dest, items)


def _codes(text: str | None) -> tuple[str, ...] | None:
    from resilint.config import selector

    if text is None:
        return None
    return tuple(selector(code) for code in text.split(",") if code.strip())


def _severities(text: str | None) -> tuple[str, ...]:
    """--severity error,warning -> the levels to report (all when not given)."""
    if text is None:
        return SEVERITIES
    levels = tuple(level.strip().lower() for level in text.split(",") if level.strip())
    for level in levels:
        if level not in SEVERITIES:
            close = difflib.get_close_matches(level, SEVERITIES, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"--severity {level!r}: expected error, warning or note{hint}")
    return levels or SEVERITIES


def _one_file(fmt: str, named: Path | None, file: str) -> None:
    """A format goes to one file: a second --output for it was kept and the first dropped."""
    if named is not None and named != Path(file):
        raise UsageError(f"--output {file}: {fmt} already goes to {named}; one file per format")


def _destinations(formats: list[str], outputs: list[str], known: tuple[str, ...] = FORMATS) -> dict[str, Path | None]:
    """Format -> file (None: standard output), from --format and --output."""
    destinations: dict[str, Path | None] = {fmt: None for fmt in formats}
    for item in outputs:
        fmt, sep, file = item.partition("=")
        if sep and fmt in known:
            if not file:
                raise UsageError(f"--output {item}: name the file after '=' (--output {fmt}=FILE)")
            if fmt not in destinations:
                destinations[fmt] = None  # --output sarif=FILE alone also asks for SARIF
            _one_file(fmt, destinations[fmt], file)
            destinations[fmt] = Path(file)
            continue
        if sep and re.fullmatch(r"[a-z]+", fmt) and (close := difflib.get_close_matches(fmt, known, n=1, cutoff=0.6)):
            # `jsn=out.json`: a format misspelt, not a file whose name holds '='
            raise UsageError(f"--output {item}: no format {fmt!r}; did you mean {close[0]}={file}?")
        if not item:
            raise UsageError("--output: name a file (or FORMAT=FILE)")
        if len(destinations) == 1:
            only = next(iter(destinations))
            _one_file(only, destinations[only], item)
            destinations[only] = Path(item)
        else:
            example = next((f for f in destinations if f not in ("text", "concise")), next(iter(destinations)))
            raise UsageError(f"--output {item}: with several formats, name the format (--output {example}={item})")
    if list(destinations.values()).count(None) > 1:
        raise UsageError("only one format can go to standard output; send the others to files with --output FORMAT=FILE")
    return destinations


def _scan(args: argparse.Namespace) -> int:
    from resilint.command_input import (
        InputError,
        existing_paths,
        parameter_assignments,
        parse_options,
        variable_assignments,
    )
    from resilint.config import (
        CommandLine,
        ConfigError,
        config_document,
        did_you_mean,
        resolve,
        unknown_codes,
    )
    from resilint.findings import exit_code
    from resilint.registry import load_rules
    from resilint.reporters.console import is_interactive, progress
    from resilint.rule_ids import ALWAYS_REPORTED
    from resilint.scan import baseline_scope, scan, with_baseline
    from resilint.toml_text import dumps

    try:
        paths = existing_paths(args.paths)
        assignments = variable_assignments(args.assignments)
        parameters = parameter_assignments(args.parameters)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    if args.max_file_size is not None and args.max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of MiB")
    formats = args.format or ["text"]
    destinations = _destinations(formats, args.output)
    shown_severities = _severities(args.severity)

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
    for warning in settings.warnings:
        print(f"resilint: warning: {warning}", file=sys.stderr)
    for folder in settings.rules_dirs:
        if not folder.is_dir():
            raise UsageError(f"rules folder {folder}: not a folder")
    for var_file in [*settings.var_files, *(Path(a[1]) for a in assignments if a[0] == "file")]:
        if not var_file.is_file():
            raise UsageError(f"var file {var_file}: no such file")
    if args.show_config:
        where = f" (from {settings.config_file})" if settings.config_file is not None else ""
        print(f"# resilint {__version__} effective configuration{where}; paste into .resilint.toml")
        print(dumps(config_document(settings)), end="")
        return 0
    # Rule ids given are checked before anything is scanned; otherwise the scan loads the rules
    # while its worker processes parse.
    registry = load_rules(settings.rules_dirs) if settings.select or settings.ignore else None
    if registry is not None:
        ids = {r.id for r in registry.rules}
        unknown = unknown_codes(settings.select + settings.ignore, ids)
        if unknown:
            hints = "".join(did_you_mean(code, ids) for code in unknown[:1])
            raise UsageError(f"unknown rule id {', '.join(unknown)}{hints} (see `resilint rules`)")
    baseline = _read_baseline(args.baseline) if args.baseline is not None and args.write_baseline is None else None
    if args.baseline is not None and args.write_baseline is not None and args.baseline.resolve() != args.write_baseline.resolve():
        # Not read: the findings are recorded anew in the other file, which then filters them.
        print(f"resilint: warning: --baseline {args.baseline} is not read with --write-baseline {args.write_baseline}", file=sys.stderr)
    try:
        options = parse_options(settings, assignments, args.no_cache, parameters)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    with progress(is_interactive(sys.stderr)) as say:
        result = scan(paths, settings, options, registry, say, baseline, force_exclude=args.force_exclude)
    _check_assignments(result, assignments, settings.max_file_bytes, options.cache)
    for warning in result.warnings:
        print(f"resilint: warning: {warning}", file=sys.stderr)
    if args.write_baseline is not None:
        from resilint.baseline import write

        recorded = [f for f in result.before_baseline if f.rule_id not in ALWAYS_REPORTED]
        try:
            count, carried = write(args.write_baseline, recorded, baseline_scope(result))
        except OSError as exc:
            raise UsageError(f"cannot write {args.write_baseline}: {exc.strerror or exc}") from None
        unchecked = f", and kept {carried} of its entries for files or rules this scan did not check" if carried else ""
        print(f"resilint: wrote {count} findings to the baseline {args.write_baseline}{unchecked}", file=sys.stderr)
        result = with_baseline(result, _read_baseline(args.write_baseline))
    hidden = 0
    if shown_severities != SEVERITIES:  # parse and internal errors are always shown
        kept = [f for f in result.findings if f.severity.value in shown_severities or f.rule_id in ALWAYS_REPORTED]
        hidden = len(result.findings) - len(kept)
        result = result.with_findings(kept)
    for fmt, target in destinations.items():
        _write(target, _render(fmt, result, target is None, args, hidden))
    code = exit_code(result.findings, settings.fail_on)
    return 0 if code == 1 and args.exit_zero else code


def _read_baseline(path: Path) -> Any:
    from resilint.baseline import BaselineError, read

    try:
        return read(path)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def _check_assignments(result: Any, assignments: list[tuple[str, str, str]], max_bytes: int, cache: Any) -> None:
    """--var names and values checked against the root modules' declarations, as `terraform
    plan` does. Folder scans only: a scan of named files builds only the units they need, so a
    variable of another root would look undeclared."""
    from resilint.scan import variable_errors

    if not result.scanned_folders:
        return
    errors = variable_errors(result.project, assignments, max_bytes, cache)
    if errors:
        raise UsageError("\n".join(errors))


def _render(fmt: str, result: Any, to_stdout: bool, args: argparse.Namespace, below_severity: int = 0) -> str:
    from resilint.reporters import Report

    report = Report(
        findings=result.findings,
        rules=result.registry.by_id(),
        files_scanned=result.files_scanned,
        units=result.units_checked,
        duration=None,
        suppressed=result.suppressed,
        show_suppressed=args.show_suppressed,
        baselined=result.baselined,
        baseline_unmatched=result.baseline_unmatched,
        below_severity=below_severity,
    )
    if fmt == "text":
        from resilint.reporters.console import is_interactive, terminal_width, use_colour
        from resilint.reporters.text import TextStyle, render

        colour = use_colour(args.color, sys.stdout) if to_stdout else args.color == "always"
        interactive = to_stdout and is_interactive(sys.stdout)
        if interactive:  # only a person at a terminal sees how long it took
            report = Report(**{**report.__dict__, "duration": result.duration})
        # Not a terminal: 100 columns, unless COLUMNS says otherwise (CI logs forced to colour).
        width = terminal_width() if interactive or os.environ.get("COLUMNS", "").strip() else 100
        return render(report, TextStyle(colour=colour, width=width, quiet=args.quiet))
    if fmt == "concise":
        from resilint.reporters.concise import render as concise

        return concise(report, quiet=args.quiet)
    from importlib import import_module

    module = import_module(f"resilint.reporters.{fmt}")
    text: str = module.render(report)
    return text


def _write(target: Path | None, text: str) -> None:
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from resilint.output_files import write_whole

    try:
        write_whole(target, text)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def _systems(args: argparse.Namespace) -> int:
    from resilint.command_input import (
        InputError,
        existing_paths,
        parameter_assignments,
        parse_options,
        variable_assignments,
    )
    from resilint.config import CommandLine, ConfigError, resolve
    from resilint.registry import load_rules
    from resilint.scan import load_project, project_warnings, variable_errors
    from resilint.systems.report import render_json, render_text

    try:
        paths = existing_paths(args.paths)
        assignments = variable_assignments(args.assignments)
        parameters = parameter_assignments(args.parameters)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    try:
        settings = resolve(CommandLine(exclude=tuple(args.exclude)), args.config, paths[0], load_rules)
        options = parse_options(settings, assignments, args.no_cache, parameters)
    except (ConfigError, InputError) as exc:
        raise UsageError(str(exc)) from None
    for warning in settings.warnings:
        print(f"resilint: warning: {warning}", file=sys.stderr)
    project = load_project(paths, settings, options)
    errors = variable_errors(project, assignments, settings.max_file_bytes, options.cache)
    if errors:
        raise UsageError("\n".join(errors))
    for warning in project_warnings(project, options, paths):
        print(f"resilint: warning: {warning}", file=sys.stderr)
    for problem in project.problems:
        print(f"{problem.location.path}:{problem.location.line}: RES001 {problem.message}", file=sys.stderr)
    _write(None, render_json(project) if args.format == "json" else render_text(project))
    # As scan and simulate: an input that could not be parsed leaves the systems incomplete.
    return 2 if project.problems else 0


def _simulate(args: argparse.Namespace) -> int:
    from resilint.simulate.command import SimulateUsageError, run

    destinations = _destinations(args.format or ["text"], args.output, SIMULATE_FORMATS)
    try:
        return run(args, destinations, _write)
    except SimulateUsageError as exc:
        raise UsageError(str(exc)) from None


def _rules_dirs(args: argparse.Namespace) -> tuple[Path, ...]:
    """--rules-dir folders after the configuration's `rules-dirs`, as `scan` loads them."""
    from resilint.config import ConfigError, rules_dirs_from_config

    try:
        return rules_dirs_from_config(args.config) + tuple(args.rules_dir)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _rules(args: argparse.Namespace) -> int:
    from resilint.registry import load_rules

    registry = load_rules(_rules_dirs(args))
    rules = sorted(registry.rules, key=lambda r: r.id)
    if args.format == "json":
        import json

        data = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.value,
                "summary": r.summary,
                "tags": list(r.tags),
                "origin": r.origin,
                "help_uri": r.help_uri,
            }
            for r in rules
        ]
        print(json.dumps(data, indent=2))
    else:
        width = max(len(r.name) for r in rules)
        summary = max(len(r.summary) for r in rules)
        for r in rules:
            print(f"{r.id}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary:<{summary}}  {r.help_uri}".rstrip())
    for error in registry.errors:
        print(f"resilint: warning: rule plugin {error.source}: {error.message}", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from resilint.config import did_you_mean
    from resilint.docs import rule_page
    from resilint.registry import load_rules

    registry = load_rules(_rules_dirs(args))
    wanted = args.rule_id.strip().upper()
    by_id = registry.by_id()
    by_name = {r.name: r for r in registry.rules}
    found = by_id.get(wanted) or by_name.get(args.rule_id.strip().lower())
    if found is None:
        hint = did_you_mean(wanted, by_id) or did_you_mean(args.rule_id.strip().lower(), by_name)
        raise UsageError(f"no rule {args.rule_id!r}{hint} (see `resilint rules`)")
    print(rule_page(found), end="")
    return 0
