"""Where a Makefile or a shell script deploys a template: `aws cloudformation deploy` (and
`create-stack` / `update-stack` with `--template-body file://`) commands that name the template,
the stack and the region.

Teams that run one stack per region write the same command twice, once per region:

    PRIMARY_REGION=us-east-1
    STANDBY_REGION=us-west-2
    ...
        aws cloudformation deploy --template ./ecs.yaml --region ${PRIMARY_REGION} --stack-name apps${ENV} ...
        aws cloudformation deploy --template ./ecs.yaml --region ${STANDBY_REGION} --stack-name apps${ENV} ...

The same stack name (as written, variables and all) in two regions is one stack deployed in both:
the template's copies. The match is strict, so that environments are never taken for copies
(`app-dev` in one region, `app-prod` in another are two deployments, as samconfig environments
are): a template is given regions only when every command that deploys it names one stack name
(and one `--profile`, the account, when any names one), in two regions or more, each region a literal or a variable the file assigns once to a literal.
A command inside a loop over literal regions deploys in each of them:

    for region in us-east-1 us-west-2; do
      aws cloudformation deploy --template-file app.yaml --stack-name app-$region --region $region
    done

(the list may also be a variable the file assigns once, `REGIONS="us-east-1 us-west-2"` or a bash
array; in a Makefile recipe the loop's variable is written `$$region`). Such a stack name may name
the loop's region, and no other loop's variable (an environment loop would make several stacks).
A template path with a variable in it, a command in a recipe that changes folder first, or a
region from the environment leaves the template as it was (one stack in one region, region not
known). Scripts are looked for in the template's folder and the folders above it, up to the
repository's root; a template path is read relative to the script's folder, as `make` and a
script run from there read it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from resilint.sources import SourceFile, read_text

MAKEFILE_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile"})
_SCRIPT_SUFFIXES = (".mk", ".sh")
_MAX_SCRIPT_BYTES = 1 << 20
_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$")
_ASSIGNMENT = re.compile(
    r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:::=|:=|\?=|\+=|=)\s*(.*?)\s*$"
)
_COMMAND = re.compile(r"\baws\s+cloudformation\s+(deploy|create-stack|update-stack)\b")
_SEPARATOR = re.compile(r"\s*(?:;|&&|\|\||\||\bthen\b|\bfi\b|\bdo\b|\bdone\b)\s*")
_VARIABLE = re.compile(r"^\$(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")
# `for region in us-east-1 us-west-2` (its list ends at `;`, at the line's end or at `do`)
_LOOP = re.compile(r"(?:^|[;&|(\s@+-])for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*?)\s*(?=;|$|\bdo\b)")
_LOOP_END = re.compile(r"(?:^|[;&|\s])done\b")
# a shell variable as a Makefile recipe or a script writes it: `$$region`, `$${region}`, `$region`
_SHELL_VARIABLE = re.compile(r"\$\$?(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:\[[@*]\])?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True)
class ScriptDeployment:
    """A template a script deploys: as one stack in several regions (`regions`), or otherwise
    (no regions: the template is left as it was, but the scripts are what it would read)."""

    regions: tuple[str, ...]
    stack: str | None  # the stack name as the script writes it (when regions are given)
    scripts: tuple[Path, ...]  # every script with a command deploying the template, sorted

    @property
    def script(self) -> Path:
        return self.scripts[0]


@dataclass(frozen=True)
class _Command:
    template: Path
    stack: str | None  # the stack name, and the profile (account) when one is named
    region: str | None  # None: not known


def find(templates: Iterable[SourceFile]) -> dict[str, ScriptDeployment]:
    """Script deployments by template display path, for every template a script's command
    deploys; with regions for those deployed as one stack in two regions or more. (The scripts
    naming a template are what file mode and the file index count it as reading, whether or not
    they give it regions: an edit may make them.)"""
    by_path = {os.path.normpath(os.path.abspath(f.path)): f for f in templates}
    commands: dict[str, list[tuple[_Command, Path]]] = {}
    for script in _scripts({Path(p).parent for p in by_path}):
        for command in _commands(script):
            key = os.path.normpath(str(command.template))
            if key in by_path:
                commands.setdefault(key, []).append((command, script))
    found: dict[str, ScriptDeployment] = {}
    for key, deploys in sorted(commands.items()):
        stacks = {c.stack for c, _ in deploys}
        regions = {c.region for c, _ in deploys}
        scripts = tuple(sorted({s for _, s in deploys}))
        if len(stacks) != 1 or None in stacks or None in regions or len(regions) < 2:
            found[by_path[key].display] = ScriptDeployment((), None, scripts)
            continue
        (stack,) = stacks
        found[by_path[key].display] = ScriptDeployment(tuple(sorted(r for r in regions if r)), stack, scripts)
    return found


def is_script_name(name: str) -> bool:
    """A Makefile or a shell script: what `find` reads."""
    return name in MAKEFILE_NAMES or name.endswith(_SCRIPT_SUFFIXES)


def _scripts(folders: Iterable[Path]) -> list[Path]:
    """The Makefiles and shell scripts of the folders and of those above them, up to the
    repository's root (the nearest folder holding `.git`; outside a repository, the folder
    itself only)."""
    seen: set[Path] = set()
    for folder in folders:
        for candidate in _upwards(folder):
            if candidate in seen:
                break
            seen.add(candidate)
    found: list[Path] = []
    for folder in sorted(seen):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if is_script_name(name):
                path = folder / name
                if path.is_file():
                    found.append(path)
    return found


def _upwards(folder: Path) -> list[Path]:
    chain = [folder]
    current = folder
    for _ in range(64):
        if (current / ".git").exists():
            return chain
        if current.parent == current:
            break
        current = current.parent
        chain.append(current)
    return [folder]  # no repository above: only the folder itself


def _commands(script: Path) -> Iterator[_Command]:
    text = read_text(script, str(script), _MAX_SCRIPT_BYTES)
    if not isinstance(text, str) or "cloudformation" not in text:
        return
    lines = _joined(text)
    assigned = _literal_region_words(lines)
    variables = {name: words[0] if words and len(words) == 1 else None for name, words in assigned.items()}
    lists = {name: words if words and len(words) > 1 else None for name, words in assigned.items()}
    make = script.name in MAKEFILE_NAMES or script.name.endswith(".mk")
    if not make and any(_changes_folder(line) for line in lines):
        return  # a script's `cd` holds for the lines after it: its paths are not the folder's
    loops: list[_Loop] = []  # the loops a script's line is in, innermost last
    for line in lines:
        if make:
            loops = []  # each recipe line is a shell of its own: its loops end with it
        for position, kind, match in _events(line):
            if kind == "loop":
                loops.append(_Loop(match.group(1), _loop_regions(match.group(2), variables, lists)))
            elif kind == "done":
                if loops:
                    loops.pop()
            elif _changes_folder(line[:position]):
                continue  # each recipe line is a shell of its own: only a `cd` on it matters
            else:
                words = _SEPARATOR.split(line[match.end() :], maxsplit=1)[0].split()
                yield from _command(words, match.group(1), script.parent, variables, tuple(loops))


@dataclass(frozen=True)
class _Loop:
    variable: str
    regions: tuple[str, ...] | None  # None: not a loop over literal regions


def _events(line: str) -> list[tuple[int, str, re.Match[str]]]:
    """A line's loop starts, loop ends and deploy commands, in the order they are written."""
    events = [(m.start(), "loop", m) for m in _LOOP.finditer(line)]
    events += [(m.start(), "done", m) for m in _LOOP_END.finditer(line)]
    events += [(m.start(), "command", m) for m in _COMMAND.finditer(line)]
    return sorted(events, key=lambda event: event[0])


def _loop_regions(
    written: str, variables: dict[str, str | None], lists: dict[str, tuple[str, ...] | None]
) -> tuple[str, ...] | None:
    """The regions a loop's list names, when every word of it is a literal region (or a variable
    the file assigns a literal region or a list of them); None otherwise."""
    regions: list[str] = []
    for word in written.split():
        word = word.strip("\"'")
        if _REGION.match(word):
            regions.append(word)
            continue
        reference = _SHELL_VARIABLE.fullmatch(word) or _VARIABLE.match(word)
        name = next((g for g in reference.groups() if g), None) if reference else None
        if name is None:
            return None
        if lists.get(name):
            regions.extend(lists[name] or ())
        elif variables.get(name):
            regions.append(variables[name] or "")
        else:
            return None
    return tuple(regions) or None


def _joined(text: str) -> list[str]:
    """The file's lines with backslash continuations joined and comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("#") and not pending:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


def _literal_region_words(lines: list[str]) -> dict[str, tuple[str, ...] | None]:
    """Variables assigned literal regions once, as words: `REGION=us-east-1`,
    `REGIONS="us-east-1 us-west-2"`, a bash array `REGIONS=(us-east-1 us-west-2)` (None:
    assigned anything else, or twice apart)."""
    values: dict[str, tuple[str, ...] | None] = {}
    for line in lines:
        if line.startswith(("\t", " ")):
            continue  # a recipe line: not an assignment of the file
        match = _ASSIGNMENT.match(line)
        if match is None:
            continue
        name, value = match.group(1), match.group(2)
        if value.startswith("(") and value.endswith(")"):
            value = value[1:-1]
        words = tuple(word.strip("\"'") for word in value.strip("\"'").split())
        literal = words if words and all(_REGION.match(word) for word in words) else None
        values[name] = literal if values.get(name, literal) == literal else None
    return values


def _changes_folder(before: str) -> bool:
    """Whether the shell line runs `cd` or `pushd` before the command (its paths then start
    elsewhere)."""
    return re.search(r"(?:^|[;&|(\s@+-])(?:cd|pushd)\s", before) is not None


def _command(
    words: list[str], verb: str, folder: Path, variables: dict[str, str | None], loops: tuple[_Loop, ...]
) -> Iterator[_Command]:
    options: dict[str, str] = {}
    for index, word in enumerate(words):
        if not word.startswith("--"):
            continue
        name, equals, value = word.partition("=")
        if not equals:
            value = words[index + 1] if index + 1 < len(words) else ""
        options.setdefault(name, value.strip("\"'"))
    if verb == "deploy":
        written = options.get("--template-file", options.get("--template"))
    else:
        body = options.get("--template-body", "")
        written = body[len("file://") :] if body.startswith("file://") else None
    if not written or "$" in written or "`" in written:
        return
    stack = options.get("--stack-name") or None
    profile = options.get("--profile")
    template = Path(os.path.abspath(folder / written))
    if stack and profile:
        stack = f"{stack} (profile {profile})"
    loop = _region_loop(options.get("--region"), loops)
    if loop is None:
        yield _Command(template, stack, _region(options.get("--region"), variables))
        return
    if stack is not None and _names_another_loop(stack, loop, loops):
        stack = None  # one written name for several stacks (an environment loop): not copies
    for region in loop.regions or (None,):
        yield _Command(template, stack, region)


def _region_loop(value: str | None, loops: tuple[_Loop, ...]) -> _Loop | None:
    """The innermost loop whose variable the `--region` value is."""
    reference = _SHELL_VARIABLE.fullmatch(value or "")
    if reference is None:
        return None
    name = next(g for g in reference.groups() if g)
    return next((loop for loop in reversed(loops) if loop.variable == name), None)


def _names_another_loop(stack: str, region_loop: _Loop, loops: tuple[_Loop, ...]) -> bool:
    named = {next(g for g in m.groups() if g) for m in _SHELL_VARIABLE.finditer(stack)}
    return any(loop.variable in named for loop in loops if loop.variable != region_loop.variable)


def _region(value: str | None, variables: dict[str, str | None]) -> str | None:
    if value is None:
        return None
    if _REGION.match(value):
        return value
    match = _VARIABLE.match(value)
    if match is None:
        return None
    return variables.get(next(g for g in match.groups() if g))
