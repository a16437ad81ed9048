"""CloudFormation templates (YAML or JSON, short-form intrinsics included) to deployment units.

cfn-lint's decoder does the reading: it understands `!Ref`, `!Sub`, `!GetAtt`... and keeps a
position on every node. Intrinsic functions are resolved where the template alone decides the
value (parameter defaults, mappings, conditions on those); anything decided at deploy time is an
`Unknown`, and references to other resources become edges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from resilint.model import (
    Location,
    Problem,
    Reference,
    Resource,
    Unit,
    Unknown,
    UnknownZone,
    ZoneList,
    contains_unknown,
    unknowns_in,
)
from resilint.parsers.guards import paused_gc, yaml_alias_bomb
from resilint.placement import cloudformation_is_global
from resilint.sources import SourceFile, problem

MAX_DEPTH = 64
_RESOURCE_TYPE_PREFIXES = ("AWS::", "Custom::", "Alexa::")
_NO_VALUE = object()  # AWS::NoValue: the property is removed


class _TooDeep(Exception):
    pass


def parse_template(file: SourceFile, deploy_regions: Sequence[str] = ()) -> Unit | Problem | None:
    """The template's unit; a Problem when it cannot be read; None when it is not a template."""
    from resilint.parsers.cfn_decoder import decode_str

    text = file.text or ""
    bomb = yaml_alias_bomb(text)
    if bomb is not None:
        return problem(file.display, bomb.message, bomb.line, bomb.column)
    try:
        with paused_gc():
            template, matches = decode_str(text)
    except RecursionError:
        return problem(file.display, "template is nested too deeply to analyse")
    if matches:
        first = matches[0]
        line = int(getattr(first, "linenumber", 1) or 1)
        column = getattr(first, "columnnumber", None) or None
        return problem(file.display, decode_message(str(first.message), _char_at(text, line, column)), line, column)
    if not isinstance(template, dict):
        return None
    resources = template.get("Resources")
    declared = "AWSTemplateFormatVersion" in template
    if not isinstance(resources, dict):
        if declared and "Resources" in template:
            key = next((k for k in template if k == "Resources"), None)
            return problem(file.display, "Resources must be a mapping of logical IDs to resources", _line(key, _line(resources, 1)))
        return None
    if not declared and not any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(_RESOURCE_TYPE_PREFIXES)
        for r in resources.values()
    ):
        return None
    try:
        with paused_gc():
            return _Template(file, template, tuple(deploy_regions)).unit()
    except (_TooDeep, RecursionError):
        return problem(file.display, f"template nested more than {MAX_DEPTH} levels deep; not analysed")


# cfn-lint's decoder messages (PyYAML's, its own, or Python's JSON decoder's) in plain words.
# Positions are in the finding already, so "(line N)" suffixes are dropped.
_DECODE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"recursion|maximum nesting depth", re.I), "template is nested too deeply to analyse"),
    (re.compile(r"^Duplicate found (.+?)(?: \(line \d+\))?$"), "duplicate key {0}: a key may appear only once in a mapping"),
    (re.compile(r"^Null key (.+?)(?: \(line \d+\))?$"), "a key is empty (null); every key needs a name"),
    (re.compile(r"^Unhashable type", re.I), "a mapping or a list is used as a key; keys must be plain names "
     "(a short-form function such as !Sub inside [ ] or {{ }} takes its argument on the same line)"),
    (re.compile(r"end of stream"), "the file ends before the template is complete (truncated?)"),
    (re.compile(r"^Unterminated string"), "a string is never closed (a missing '\"')"),
    (re.compile(r"^mapping values are not allowed here"), "unexpected ':' (a value that contains ': ' must be quoted)"),
    (re.compile(r"^found undefined alias (.+)"), "the alias {0} names no anchor (&name) defined before it"),
    (re.compile(r"^Bad tag: (.+)"), "unsupported YAML tag {0}"),
)


def decode_message(message: str, char: str = "") -> str:
    """cfn-lint's parse error message, said plainly and without Python internals. `char` is the
    character at the error's position, when known."""
    message = message.strip()
    if "cannot start any token" in message:
        if char == "\t":
            return "a tab character: YAML is indented with spaces only"
        if char and not char.isprintable():
            return f"unexpected control character (U+{ord(char):04X})"
        return f"unexpected character '{char}'" if char else "unexpected character"
    for pattern, plain in _DECODE_MESSAGES:
        match = pattern.search(message)
        if match:
            return plain.format(*match.groups())
    message = re.sub(r"^Template could not be parsed: ", "", message)
    message = re.sub(r" \(line \d+\)$", "", message).split("\n")[0].strip().rstrip(".")
    if not message or "Traceback" in message or len(message) > 200:
        return "the template could not be parsed"
    return message


def _char_at(text: str, line: int, column: int | None) -> str:
    if column is None:
        return ""
    lines = text.split("\n", line)
    if line > len(lines):
        return ""
    row = lines[line - 1]
    return row[column - 1] if 0 < column <= len(row) else ""


def _line(node: Any, default: int) -> int:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else default


def _end_line(node: Any, start: int, lines: list[str]) -> int:
    mark = getattr(node, "end_mark", None)
    if mark is None:
        return start
    # A YAML block node ends where whatever follows it starts: when only indentation precedes
    # the mark on its line, the node really ended on an earlier line.
    end: int = mark.line + 1
    if mark.column == 0 or (mark.line < len(lines) and not lines[mark.line][: mark.column].strip()):
        end = mark.line
    while end > start and end <= len(lines) and not lines[end - 1].strip():
        end -= 1  # trailing blank lines are not part of it
    return max(end, start)


class _Template:
    def __init__(self, file: SourceFile, template: dict[str, Any], deploy_regions: tuple[str, ...]) -> None:
        self.file = file
        self.lines = (file.text or "").split("\n")
        self.template = template
        self.deploy_regions = deploy_regions
        self.resources = template.get("Resources") or {}
        parameters = template.get("Parameters")
        self.parameters = parameters if isinstance(parameters, dict) else {}
        mappings = template.get("Mappings")
        self.mappings = mappings if isinstance(mappings, dict) else {}
        conditions = template.get("Conditions")
        self.conditions = conditions if isinstance(conditions, dict) else {}
        self._condition_values: dict[str, Any] = {}
        self.region: Any = (
            deploy_regions[0]
            if len(deploy_regions) == 1
            else Unknown("the stack's region is chosen when it is deployed")
        )

    def unit(self) -> Unit:
        built = []
        for logical_id, body in self.resources.items():
            if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
                continue
            resource = self._resource(str(logical_id), logical_id, body)
            if resource is not None:
                built.append(resource)
        return Unit(
            id=self.file.display,
            source="cloudformation",
            location=Location(path=self.file.display, line=self._first_line(), end_line=self._first_line()),
            files=(self.file.display,),
            resources=tuple(built),
            deploy_regions=self.deploy_regions,
            metadata=self._resilint_metadata(),
        )

    def _resilint_metadata(self) -> dict[str, Any]:
        """The template's top-level Metadata keys that are (or look like) resilint's, for
        template-level suppressions and for RES005 when one is misspelt."""
        metadata = self.template.get("Metadata")
        if not isinstance(metadata, dict):
            return {}
        return {str(k): _plain(v) for k, v in metadata.items() if "resil" in str(k).lower() or "reslint" in str(k).lower()}

    def _first_line(self) -> int:
        """The template's first key: where stack-level findings anchor (after any header
        comments, so a suppression comment above it applies)."""
        return min((_line(key, 1) for key in self.template), default=1)

    def _resource(self, logical_id: str, key_node: Any, body: dict[str, Any]) -> Resource | None:
        condition = body.get("Condition")
        if isinstance(condition, str) and self._condition(condition, 0) is False:
            return None  # the template says this resource is never created
        refs: list[Reference] = []
        properties = body.get("Properties")
        attributes: dict[str, Any] = {}
        lines: dict[str, int] = {}
        if isinstance(properties, dict):
            for name, value in properties.items():
                resolved = self._resolve(value, refs, str(name), 0)
                if resolved is not _NO_VALUE:
                    attributes[str(name)] = resolved
                lines[str(name)] = _line(name, _line(value, 1))
        start = _line(key_node, _line(body, 1))
        meta = {
            k: self._resolve(body[k], [], k, 0) for k in ("Condition", "DependsOn", "Metadata") if k in body
        }
        for dependency in _as_list(body.get("DependsOn")):
            if isinstance(dependency, str) and dependency in self.resources:
                refs.append(Reference(target=dependency, attribute=None, path="DependsOn"))
        resource_type = str(body["Type"])
        is_global = cloudformation_is_global(resource_type, attributes)
        return Resource(
            source="cloudformation",
            type=resource_type,
            address=logical_id,
            unit=self.file.display,
            provider="aws",
            cloud="aws",
            region=None if is_global else self.region,
            zones=_zones(attributes),
            attributes=_plain(attributes),
            attribute_lines=lines,
            references=tuple(_unique([Reference(target=str(r.target), attribute=_plain(r.attribute), path=str(r.path)) for r in refs])),
            meta=_plain(meta),
            location=Location(path=self.file.display, line=start, end_line=_end_line(body, start, self.lines)),
            count_unknown=isinstance(condition, str) and self._condition(condition, 0) is not True,
        )

    # Intrinsic functions ----------------------------------------------------------------

    def _resolve(self, node: Any, refs: list[Reference], path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep()
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")) or key == "Condition":
                    return self._intrinsic(str(key), arg, refs, path, depth + 1)
            out = {}
            for k, v in node.items():
                value = self._resolve(v, refs, f"{path}.{k}", depth + 1)
                if value is not _NO_VALUE:
                    out[str(k)] = value
            return out
        if isinstance(node, list):
            items = [self._resolve(v, refs, f"{path}[{i}]", depth + 1) for i, v in enumerate(node)]
            return [v for v in items if v is not _NO_VALUE]
        if isinstance(node, str):
            return str(node)
        return node

    def _intrinsic(self, fn: str, arg: Any, refs: list[Reference], path: str, depth: int) -> Any:
        if fn == "Ref":
            return self._ref(arg, refs, path)
        if fn == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else _as_list(arg)
            target = str(parts[0]) if parts else "?"
            attribute = str(parts[1]) if len(parts) > 1 and isinstance(parts[1], str) else None
            if target in self.resources:
                refs.append(Reference(target=target, attribute=attribute, path=path))
                return Unknown(f"{target}.{attribute} is known only after the stack is created", (target,))
            return Unknown(f"Fn::GetAtt of {target}")
        if fn == "Fn::Sub":
            return self._sub(arg, refs, path, depth)
        if fn == "Fn::If":
            items = _as_list(arg)
            if len(items) != 3:
                return Unknown("malformed Fn::If")
            chosen = self._condition(items[0], depth)
            then = self._resolve(items[1], refs, path, depth)
            otherwise = self._resolve(items[2], refs, path, depth)
            if chosen is True:
                return then
            if chosen is False:
                return otherwise
            if then == otherwise and not isinstance(then, Unknown):
                return then
            return Unknown(f"depends on condition {items[0]}, which is decided at deploy time", _refs_of(then, otherwise))
        value = self._resolve(arg, refs, path, depth)
        if fn == "Fn::GetAZs":
            return self._zone_list(value)
        if fn == "Fn::Select" and (zone := _zone_at(value)) is not None:
            return zone
        if contains_unknown(value):
            return Unknown(f"{fn} of a value known only at deploy time", _refs_of(value))
        return self._pure(fn, value)

    def _zone_list(self, region: Any) -> Unknown:
        """`Fn::GetAZs` of the stack's region ('' or `!Ref AWS::Region`) or of a named region: a
        list whose elements, read by position, can be told apart."""
        if region == "" or region == self.region:
            source = "!GetAZs ''"
        elif isinstance(region, str):
            source = f"!GetAZs {region}"
        else:
            return Unknown("Fn::GetAZs of a region known only at deploy time")
        return ZoneList(
            "Fn::GetAZs: the availability zones of the region at deploy time", source, "name", f"!Select [{{index}}, {source}]"
        )

    def _ref(self, name: Any, refs: list[Reference], path: str) -> Any:
        if not isinstance(name, str):
            return Unknown("malformed Ref")
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name == "AWS::Region":
            return self.region
        if name == "AWS::URLSuffix":
            return "amazonaws.com"
        if name.startswith("AWS::"):
            return Unknown(f"{name} is known only at deploy time")
        if name in self.parameters:
            parameter = self.parameters[name]
            if isinstance(parameter, dict) and "Default" in parameter:
                default = parameter["Default"]
                return self._resolve(default, refs, path, 0)
            return Unknown(f"parameter {name} has no default: its value is given at deploy time")
        if name in self.resources:
            refs.append(Reference(target=name, attribute=None, path=path))
            return Unknown(f"{name} is known only after the stack is created", (name,))
        return Unknown(f"Ref to undeclared {name}")

    def _sub(self, arg: Any, refs: list[Reference], path: str, depth: int) -> Any:
        items = _as_list(arg)
        template = items[0] if items else ""
        variables = items[1] if len(items) > 1 and isinstance(items[1], dict) else {}
        if not isinstance(template, str):
            return Unknown("malformed Fn::Sub")
        values = {str(k): self._resolve(v, refs, path, depth) for k, v in variables.items()}
        out: list[str] = []
        unknown_refs: list[str] = []
        unknown = False
        i = 0
        text = str(template)
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            end = text.find("}", start)
            if end < 0:
                out.append(text[start:])
                break
            name = text[start + 2 : end]
            i = end + 1
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")
                continue
            if name in values:
                value = values[name]
            elif "." in name and name.split(".", 1)[0] in self.resources:
                target, attribute = name.split(".", 1)
                refs.append(Reference(target=target, attribute=attribute, path=path))
                value = Unknown(f"{name} is known only after the stack is created", (target,))
            else:
                value = self._ref(name, refs, path)
            if isinstance(value, Unknown):
                unknown = True
                unknown_refs.extend(value.refs)
            elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
                out.append(str(value))
            else:
                unknown = True
        if unknown:
            return Unknown("Fn::Sub of a value known only at deploy time", tuple(dict.fromkeys(unknown_refs)))
        return "".join(out)

    def _pure(self, fn: str, value: Any) -> Any:
        """Intrinsics whose arguments are all known."""
        return _plain(self._pure_value(fn, value))

    def _pure_value(self, fn: str, value: Any) -> Any:
        try:
            if fn == "Fn::Join":
                separator, items = value
                return str(separator).join(str(v) for v in items)
            if fn == "Fn::Select":
                index, items = value
                return items[int(index)]
            if fn == "Fn::Split":
                separator, text = value
                return str(text).split(str(separator))
            if fn == "Fn::FindInMap":
                name, first, second = value[:3]
                return self.mappings[name][first][second]
            if fn == "Fn::Base64":
                return value
            if fn == "Fn::Length":
                return len(value)
        except (KeyError, IndexError, TypeError, ValueError):
            return Unknown(f"{fn} could not be evaluated")
        return Unknown(f"{fn} is known only at deploy time")

    def _condition(self, name: Any, depth: int) -> bool | None:
        """True or False when the template alone decides the condition, else None."""
        if not isinstance(name, str) or name not in self.conditions:
            return None
        if name in self._condition_values:
            known: bool | None = self._condition_values[name]
            return known
        self._condition_values[name] = None  # a cycle is undecided
        value = self._condition_expr(self.conditions[name], depth + 1)
        self._condition_values[name] = value
        return value

    def _condition_expr(self, node: Any, depth: int) -> bool | None:
        if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
            return None
        (fn, arg), = node.items()
        items = _as_list(arg)
        if fn == "Condition":
            return self._condition(arg, depth)
        if fn == "Fn::Not" and items:
            inner = self._condition_expr(items[0], depth + 1)
            return None if inner is None else not inner
        if fn in ("Fn::And", "Fn::Or"):
            results = [self._condition_expr(i, depth + 1) for i in items]
            if fn == "Fn::And":
                return False if False in results else (True if all(r is True for r in results) else None)
            return True if True in results else (False if all(r is False for r in results) else None)
        if fn == "Fn::Equals" and len(items) == 2:
            left, right = (self._resolve(i, [], "Conditions", depth + 1) for i in items)
            if contains_unknown(left) or contains_unknown(right):
                return None
            return str(left) == str(right)
        return None


def _plain(value: Any) -> Any:
    """Builtin types all the way down: cfn-lint's position-carrying node classes must not leak
    into the model (they cannot be pickled, and rules should not see them)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value) if type(value) is not str else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (ZoneList, UnknownZone)):
        return value  # built from f-strings: plain already
    if isinstance(value, Unknown):
        return Unknown(str(value.reason), tuple(str(r) for r in value.refs))
    return value


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return list(value)
    return [] if value is None else [value]


def _refs_of(*values: Any) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        for u in unknowns_in(value):
            found.extend(r for r in u.refs if r not in found)
    return tuple(found)


def _unique(refs: list[Reference]) -> list[Reference]:
    return sorted(set(refs), key=lambda r: (r.path, r.target, r.attribute or ""))


def _zone_at(selected: Any) -> UnknownZone | None:
    """`Fn::Select [i, Fn::GetAZs ...]` with a known index: that zone of the list."""
    if not isinstance(selected, list) or len(selected) != 2 or not isinstance(selected[1], ZoneList):
        return None
    index, zones = selected[0], selected[1]
    if isinstance(index, str) and index.isdigit():
        index = int(index)
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    return zones.at(index)


def _zones(attributes: dict[str, Any]) -> Any:
    zones: list[str] = []
    for key in ("AvailabilityZone", "AvailabilityZones"):
        value = attributes.get(key)
        if isinstance(value, Unknown):
            return value
        for item in _as_list(value):
            if isinstance(item, Unknown):
                return item
            if isinstance(item, str):
                zones.append(item)
    return tuple(sorted(set(zones)))
