"""`resilint simulate`: read the code as `scan` does, fail what the command line names, judge
every system, write the reports. Exit 0 when no system is down, 1 when one is (with
`--fail-on degraded`, degraded counts too), 2 for usage errors and inputs that could not be
parsed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from resilint.simulate.report import FORMATS, Report, render
from resilint.simulate.scenarios import SCENARIOS
from resilint.simulate.targets import Target, TargetError, catalogue, parse


class SimulateUsageError(Exception):
    pass


def list_targets() -> str:
    rows = catalogue()
    width = max(len(t) for t, _ in rows)
    lines = ["targets (--fail TARGET, repeatable):"]
    lines.extend(f"  {t:<{width}}  {meaning}" for t, meaning in rows)
    lines.append("")
    lines.append("scenarios (--scenario NAME):")
    for scenario in SCENARIOS.values():
        lines.append(f"  {scenario.name}  {scenario.title}")
        lines.append(f"    fails:  {', '.join(scenario.targets)}")
        lines.append(f"    source: {scenario.source}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, destinations: dict[str, Path | None], write: Callable[[Path | None, str], None]) -> int:
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
    from resilint.simulate import objectives as objective_runs
    from resilint.simulate.verdicts import simulate

    if args.list_targets:
        sys.stdout.write(list_targets())
        return 0
    chosen = sum(bool(x) for x in (args.fail, args.scenario, args.objectives))
    if chosen > 1:
        named = [o for o, x in (("--fail", args.fail), ("--scenario", args.scenario), ("--objectives", args.objectives)) if x]
        raise SimulateUsageError(f"{' and '.join(named)} together: name what fails one way, --fail TARGET (repeatable), --scenario NAME or --objectives")
    if chosen != 1:
        raise SimulateUsageError("name what fails: --fail TARGET (repeatable), --scenario NAME or --objectives (see --list-targets)")
    targets: list[Target] = []
    scenario = None
    if args.scenario:
        scenario = SCENARIOS.get(args.scenario.strip().lower())
        if scenario is None:
            raise SimulateUsageError(f"unknown scenario {args.scenario!r}: one of {', '.join(SCENARIOS)}")
        targets = scenario.parsed()
    given: set[str] = set()  # the --fail targets (a scenario's are not the user's to mistype)
    for text in args.fail or []:
        try:
            target = parse(text)
        except TargetError as exc:
            raise SimulateUsageError(str(exc)) from None
        given.add(target.text)
        if target not in targets:
            targets.append(target)
    try:
        paths = existing_paths(args.paths)
        assignments = variable_assignments(args.assignments)
        parameters = parameter_assignments(args.parameters)
    except InputError as exc:
        raise SimulateUsageError(str(exc)) from None
    try:
        settings = resolve(CommandLine(exclude=tuple(args.exclude)), args.config, paths[0], load_rules)
    except ConfigError as exc:
        raise SimulateUsageError(str(exc)) from None
    for warning in settings.warnings:
        print(f"resilint: warning: {warning}", file=sys.stderr)
    if args.objectives and not settings.objectives:
        raise SimulateUsageError("--objectives: the configuration has no [[objectives]]")
    try:
        options = parse_options(settings, assignments, args.no_cache, parameters)
    except InputError as exc:
        raise SimulateUsageError(str(exc)) from None
    project = load_project(paths, settings, options)
    errors = variable_errors(project, assignments, settings.max_file_bytes, options.cache)
    if errors:
        raise SimulateUsageError("\n".join(errors))
    for warning in project_warnings(project, options, paths):
        print(f"resilint: warning: {warning}", file=sys.stderr)
    for problem in project.problems:
        print(f"{problem.location.path}:{problem.location.line}: RES001 {problem.message}", file=sys.stderr)
    if args.objectives:
        for warning in objective_runs.unmatched(project, project.objectives):
            print(f"resilint: warning: {warning}", file=sys.stderr)
        cells = tuple(objective_runs.run(project, project.objectives))
        report = Report(cells=cells, objectives=True, unchecked=tuple(objective_runs.unchecked(project, project.objectives)))
        failed = any(c.verdict.verdict == "down" or (args.fail_on == "degraded" and c.verdict.verdict == "degraded") for c in cells)
    else:
        from resilint.simulate.reach import unreached

        for warning in unreached(project, [t for t in targets if t.text in given]):
            print(f"resilint: warning: {warning}", file=sys.stderr)
        simulation = simulate(project, targets)
        report = Report(simulation=simulation, scenario=scenario)
        failed = simulation.count("down") > 0 or (args.fail_on == "degraded" and simulation.count("degraded") > 0)
    for fmt, file in destinations.items():
        write(file, render(fmt, report))
    if project.problems:
        return 2
    return 1 if failed else 0


__all__ = ["FORMATS", "SimulateUsageError", "list_targets", "run"]
