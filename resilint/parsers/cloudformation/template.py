"""One CloudFormation template (with the nested stacks it names by local path) to a deployment
unit.

cfn-lint's decoder does the reading: it understands `!Ref`, `!Sub`, `!GetAtt`... and keeps a
position on every node. Loops of `AWS::LanguageExtensions` are expanded and SAM resources
replaced by what they deploy before anything is resolved. Intrinsic functions are resolved
where the template alone (with the parameter values given to it) decides the value; anything
decided at deploy time is an `Unknown`, and references to other resources become edges.

A nested stack (`AWS::CloudFormation::Stack`, SAM `Application`) whose `TemplateURL` is a local
path, as `aws cloudformation package` and `sam` take it, or an S3 URL whose key names a template
of the scanned tree (`uploaded_templates`), is read with the parameter values the
parent passes, and its resources join the parent's unit: addressed `Child.Resource` (logical
IDs hold no dots), located in the child's file. `!GetAtt Child.Outputs.Name` is the child's
output value.

Values that rest on a parameter's default, a given value or a condition record where they come
from in `Resource.provenance`, so a finding can say "MultiAZ is false: parameter DBMultiAZ's
default".
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from resilint.model import (
    STACK_NAME_PATTERN,
    Location,
    Note,
    Problem,
    Reference,
    Resource,
    Unit,
    Unknown,
    UnknownAttribute,
    UnknownInput,
    UnknownText,
    UnknownZone,
    ZoneList,
    contains_unknown,
    import_ref,
    text_key,
    unknown_text,
    unknowns_in,
)
from resilint.parsers.cloudformation import definitions, language_extensions, sam
from resilint.parsers.cloudformation.messages import _char_at, decode_message
from resilint.parsers.cloudformation.parameters import Given, JoinedList, cfn_string, is_ssm_type, typed_value
from resilint.parsers.cloudformation.uploaded_templates import uploaded_template
from resilint.parsers.guards import paused_gc, yaml_alias_bomb
from resilint.placement import cloudformation_is_global
from resilint.sources import SourceFile, problem

MAX_DEPTH = 64
MAX_NESTING = 8  # nested stacks inside nested stacks
_RESOURCE_TYPE_PREFIXES = ("AWS::", "Custom::", "Alexa::")
_NESTED_STACK = "AWS::CloudFormation::Stack"
_STACK_SET = "AWS::CloudFormation::StackSet"
_NO_VALUE = object()  # AWS::NoValue: the property is removed
_RESOURCE_ID = re.compile(r"^[a-z]+(?:-[a-z]+)?-[0-9a-f]{8,17}$")
_ZONE_NAME = re.compile(r"^[a-z]{2}(?:-gov)?-[a-z]+-\d+[a-z]$")

# Reads a template file a template names by local path: its SourceFile (text read), or a Problem.
ReadFile = Callable[[Path, str], "SourceFile | Problem"]


class _TooDeep(Exception):
    pass


def decode(file: SourceFile) -> dict[str, Any] | Problem | None:
    """The template's decoded mapping; a Problem when it cannot be read; None when it is not a
    template."""
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
        (isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(_RESOURCE_TYPE_PREFIXES))
        or language_extensions.is_loop(k)
        for k, r in resources.items()
    ):
        return None
    return template


def parse_template(
    file: SourceFile,
    deploy_regions: Sequence[str] = (),
    parameters: Mapping[str, Given] | None = None,
    read_file: ReadFile | None = None,
) -> Unit | Problem | None:
    """The template's unit; a Problem when it cannot be read; None when it is not a template.
    `parameters` are values given from outside (command line, files, a StackSet, samconfig);
    `read_file` reads nested stacks' templates (none are read without it)."""
    # One pause for the decoding and the build, the decoded template gone before the collector
    # is back: with it back in between, the decoding's allocations set off a young collection
    # that walked the whole decoded template the build still holds (and a middle one, every
    # tenth template). Neither makes more than a few garbage cycles (10 objects over
    # aws-cloudformation-templates' 312 files).
    with paused_gc():
        return _parsed(file, deploy_regions, parameters, read_file)


def _parsed(
    file: SourceFile, deploy_regions: Sequence[str], parameters: Mapping[str, Given] | None, read_file: ReadFile | None
) -> Unit | Problem | None:
    template = decode(file)
    if not isinstance(template, dict):
        return template
    regions = tuple(deploy_regions)
    try:
        unit = _Template(file, template, regions, dict(parameters or {}), read_file).unit()
        if len(set(regions)) > 1:
            unit = unit.model_copy(update={"copies": tuple(_copy(file, template, region, parameters, read_file) for region in sorted(set(regions)))})
        return unit
    except (_TooDeep, RecursionError):
        return problem(file.display, f"template nested more than {MAX_DEPTH} levels deep; not analysed")


def _copy(file: SourceFile, template: dict[str, Any], region: str, parameters: Mapping[str, Given] | None, read_file: ReadFile | None) -> Unit:
    """The copy of a stack deployed to several regions that runs in `region`: the template
    built as if deployed there alone, its id `<template>@<region>`."""
    copy = _Template(file, template, (region,), dict(parameters or {}), read_file, unit_id=f"{file.display}@{region}").unit()
    return copy.model_copy(update={"copy_of": file.display})


def local_template_path(url: Any) -> str | None:
    """A `TemplateURL` (or SAM `Location`) that names a file beside the template, else None."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text) or text.startswith(("s3:", "arn:")):
        return None
    return text


def _embedded_file(body: Any) -> str | None:
    """The file a StackSet's `TemplateBody: !Rain::Embed file.yaml` names: `rain pkg` puts that
    template there, so it deploys like a local `TemplateURL`."""
    if isinstance(body, dict) and len(body) == 1:
        ((key, value),) = body.items()
        if key in ("Rain::Embed", "Fn::Rain::Embed") and isinstance(value, str):
            return value
    return None


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


# Pseudo parameters with one value in the whole unit, and those with one per stack.
_UNIT_PSEUDO_PARAMETERS = ("AWS::AccountId", "AWS::Partition")
_STACK_PSEUDO_PARAMETERS = ("AWS::StackName", "AWS::StackId")


def _stack_region_reason(deploy_regions: tuple[str, ...]) -> str:
    """Why a stack's resources have no one region, with how to give it when nothing does."""
    if deploy_regions:
        listed = ", ".join(deploy_regions[:-1]) + " and " + deploy_regions[-1]
        return f"the stack is deployed to {listed}, a copy in each"
    return (
        "the stack's region is chosen when it is deployed; give it in .resilint.toml with regions under "
        "[cloudformation], or under a [[cloudformation.stacks]] entry whose path matches the template"
    )


class _Template:
    def __init__(
        self,
        file: SourceFile,
        template: dict[str, Any],
        deploy_regions: tuple[str, ...],
        given: dict[str, Given],
        read_file: ReadFile | None,
        prefix: str = "",
        unit_id: str | None = None,
        chain: tuple[str, ...] = (),
    ) -> None:
        self.file = file
        self.lines = (file.text or "").split("\n")
        self.template = template
        self.deploy_regions = deploy_regions
        self.given = given
        self.read_file = read_file
        self.prefix = prefix  # "Child." for the resources of a nested stack
        self.unit_id = unit_id or file.display
        self.chain = chain + (file.display,)
        self.notes: list[Note] = []
        parameters = template.get("Parameters")
        self.parameters = parameters if isinstance(parameters, dict) else {}
        mappings = template.get("Mappings")
        self.mappings = mappings if isinstance(mappings, dict) else {}
        self._condition_values: dict[str, Any] = {}
        self._condition_sources: dict[str, tuple[str, ...]] = {}
        self._sources: list[set[str]] = []  # provenance collectors of the values being resolved
        self._children: dict[str, _Template | None] = {}
        self._definition_files: list[str] = []  # SAM DefinitionUri files read (definitions.py)
        # While an export or import name is read: the text that stands for a stack's name (this
        # stack's, or the one a parameter without a value names).
        self._stack_name: str | None = None
        self.region: Any = deploy_regions[0] if len(deploy_regions) == 1 else Unknown(_stack_region_reason(deploy_regions))
        self.resources: dict[Any, Any] = {}
        self.conditions: dict[Any, Any] = {}
        self.outputs: dict[Any, Any] = {}
        conditions = template.get("Conditions")
        outputs = template.get("Outputs")
        resources = template.get("Resources") or {}
        # Loops first (their collections may read conditions-free parameters and mappings),
        # then SAM, which sees the resources the loops made.
        self.conditions = self._expand(conditions) if isinstance(conditions, dict) else {}
        self.resources = self._expand(resources)
        if sam.is_sam(self.resources):
            self.resources = sam.expand(self.resources, template.get("Globals"))
            if read_file is not None:
                self.resources, self._definition_files = definitions.inline(self.resources, file, read_file, self.notes)
        self.outputs = self._expand(outputs) if isinstance(outputs, dict) else {}

    def _expand(self, section: dict[Any, Any]) -> dict[Any, Any]:
        if not language_extensions.has_loops(section):
            return section
        unresolved: list[tuple[str, Any, str]] = []
        expanded = language_extensions.expand(section, lambda node: self._resolve(node, [], "Fn::ForEach", 0), unresolved)
        for name, key, reason in unresolved:
            line = _line(key, 1)
            self.notes.append(
                Note(
                    message=f"Fn::ForEach::{name} is not expanded ({reason}): what it makes is not judged",
                    location=Location(path=self.file.display, line=line, end_line=line),
                )
            )
        return expanded

    def unit(self) -> Unit:
        built = self.built_resources()
        files = list(dict.fromkeys([self.file.display, *self._definition_files, *self._child_files()]))
        return Unit(
            id=self.unit_id,
            source="cloudformation",
            location=Location(path=self.file.display, line=self._first_line(), end_line=self._first_line()),
            files=tuple(files),
            resources=tuple(built),
            deploy_regions=self.deploy_regions,
            notes=tuple(self._all_notes()),
            metadata=self._resilint_metadata(),
            exports=self._exports(),
            parameters=tuple(str(name) for name in self.parameters),
        )

    def _named_after_stack(self, node: Any, depth: int) -> str | None:
        """An export or import name made of a stack's name and known text, `${AWS::StackName}-Bucket`
        (or, imported, `${NetworkStack}-Bucket` with a parameter that has no value: the name of
        the stack to read from, given at deploy time), as `*-Bucket`: `*` (which no export name
        holds) stands for the stack's name. None for any other name."""
        marker = "\0stack\0"
        self._stack_name = marker
        try:
            name = self._resolve(node, [], "name", depth)
        finally:
            self._stack_name = None
        if isinstance(name, str) and name.startswith(marker) and name.count(marker) == 1 and len(name) > len(marker):
            return STACK_NAME_PATTERN + name[len(marker) :]
        return None

    def _exports(self) -> dict[str, tuple[str, ...]]:
        """Outputs exported under a name the template decides, with the resources each value is
        read from."""
        found: dict[str, tuple[str, ...]] = {}
        for name, output in self.outputs.items():
            export = output.get("Export") if isinstance(output, dict) else None
            if not isinstance(export, dict) or "Value" not in output:
                continue
            exported = self._resolve(export.get("Name"), [], "Export.Name", 0)
            if not isinstance(exported, str):
                exported = self._named_after_stack(export.get("Name"), 0)
            if not isinstance(exported, str):
                continue
            refs: list[Reference] = []
            self._output(str(name), refs, f"Outputs.{name}", 0)
            found[exported] = tuple(dict.fromkeys(str(r.target) for r in refs))
        return found

    def _resilint_metadata(self) -> dict[str, Any]:
        """The template's top-level Metadata keys that are (or look like) resilint's, for
        template-level suppressions and for RES005 when one is misspelt."""
        metadata = self.template.get("Metadata")
        if not isinstance(metadata, dict):
            return {}
        return {str(k): _plain(v) for k, v in metadata.items() if "resil" in str(k).lower() or "reslint" in str(k).lower()}

    def built_resources(self) -> list[Resource]:
        built: list[Resource] = []
        for logical_id, body in self.resources.items():
            if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
                continue
            resource = self._resource(str(logical_id), logical_id, body)
            if resource is None:
                continue
            built.append(resource)
            child = self._child(str(logical_id)) if resource.type == _NESTED_STACK else None
            if child is not None:
                built.extend(child.built_resources())
        return built

    def _child_files(self) -> list[str]:
        found: list[str] = []
        for child in self._children.values():
            if child is not None:
                found.append(child.file.display)
                found.extend(child._definition_files)
                found.extend(child._child_files())
        return found

    def _all_notes(self) -> list[Note]:
        notes = list(self.notes)
        for child in self._children.values():
            if child is not None:
                notes.extend(child._all_notes())
        return notes

    def _first_line(self) -> int:
        """The template's first key: where stack-level findings anchor (after any header
        comments, so a suppression comment above it applies)."""
        return min((_line(key, 1) for key in self.template), default=1)

    def _resource(self, logical_id: str, key_node: Any, body: dict[str, Any]) -> Resource | None:
        condition = body.get("Condition")
        decided = self._condition(condition, 0) if isinstance(condition, str) else True
        if decided is False:
            return None  # the template says this resource is never created
        refs: list[Reference] = []
        properties = body.get("Properties")
        attributes: dict[str, Any] = {}
        lines: dict[str, int] = {}
        provenance: dict[str, str] = {}
        if isinstance(properties, dict):
            for name, value in properties.items():
                resolved, sources = self._traced(_resolver(self, value, refs, str(name)))
                if resolved is not _NO_VALUE:
                    attributes[str(name)] = resolved
                    if sources:
                        provenance[str(name)] = "; ".join(sources)
                lines[str(name)] = _line(name, 0) or _line(value, 1)
        if isinstance(condition, str) and decided is True and self._condition_sources.get(condition):
            provenance["Condition"] = self._condition_text(condition)
        start = _line(key_node, _line(body, 1))
        meta: dict[str, Any] = {
            k: self._resolve(body[k], [], k, 0)
            for k in ("Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy")
            if k in body
        }
        for dependency in _as_list(body.get("DependsOn")):
            if isinstance(dependency, str) and dependency in self.resources:
                refs.append(Reference(target=self.prefix + dependency, attribute=None, path="DependsOn"))
        resource_type = str(body["Type"])
        if resource_type in (_NESTED_STACK, _STACK_SET):
            template_file = self._template_file(attributes.get("TemplateURL"))
            if template_file is None and resource_type == _STACK_SET and isinstance(properties, dict):
                template_file = self._template_file(_embedded_file(properties.get("TemplateBody")))
            if template_file is not None:
                meta["TemplateFile"] = template_file[1]
                uploaded = uploaded_template(attributes.get("TemplateURL"), self.file.path, self.file.display)
                if uploaded is not None and uploaded.path is not None:
                    meta["TemplateMatch"] = uploaded.how  # how an S3 URL names this file
        is_global = cloudformation_is_global(resource_type, attributes)
        return Resource(
            source="cloudformation",
            type=resource_type,
            address=self.prefix + logical_id,
            unit=self.unit_id,
            provider="aws",
            cloud="aws",
            region=None if is_global else self.region,
            zones=_zones(attributes),
            attributes=_plain(attributes),
            attribute_lines=lines,
            references=tuple(_unique([Reference(target=str(r.target), attribute=_plain(r.attribute), path=str(r.path)) for r in refs])),
            meta=_plain(meta),
            provenance=provenance,
            location=Location(path=self.file.display, line=start, end_line=_end_line(body, start, self.lines)),
            count_unknown=isinstance(condition, str) and decided is not True,
        )

    # Provenance -------------------------------------------------------------------------

    def _traced(self, compute: Callable[[], Any]) -> tuple[Any, list[str]]:
        """`compute()` and the parameter defaults, given values and conditions it rested on
        (what it rests on is not added to any value being resolved around it)."""
        self._sources.append(set())
        try:
            value = compute()
        finally:
            sources = self._sources.pop()
        return value, sorted(sources)

    def _rests_on(self, source: str) -> None:
        if self._sources:
            self._sources[-1].add(source)

    def _condition_text(self, name: str) -> str:
        used = self._condition_sources.get(name, ())
        return f"condition {name}" + (f" ({', '.join(used)})" if used else "")

    # Nested stacks ----------------------------------------------------------------------

    def _template_file(self, url: Any) -> tuple[Path, str] | None:
        """The path and display path of a local TemplateURL that exists, or of the template an
        S3 TemplateURL's key names in the scanned tree (`uploaded_templates`)."""
        local = local_template_path(url)
        if local is None:
            uploaded = uploaded_template(url, self.file.path, self.file.display)
            if uploaded is None or uploaded.path is None or uploaded.display is None:
                return None
            return uploaded.path, uploaded.display
        path = (self.file.path.parent / local).resolve()
        if not path.is_file():
            return None
        display = posixpath.normpath(posixpath.join(posixpath.dirname(self.file.display), local))
        return path, display

    def _child(self, logical_id: str) -> _Template | None:
        """The nested stack `logical_id` read from its local template, or None."""
        if logical_id in self._children:
            return self._children[logical_id]
        self._children[logical_id] = None  # a stack reached again while it is built is not read twice
        body = self.resources.get(logical_id)
        if self.read_file is None or not isinstance(body, dict) or body.get("Type") != _NESTED_STACK:
            return None
        properties = _mapping(body.get("Properties"))
        url = self._resolve(properties.get("TemplateURL"), [], "TemplateURL", 0)
        found = self._template_file(url)
        line = _line(logical_id, _line(body, 1))
        where = Location(path=self.file.display, line=line, end_line=line)
        if found is None:
            if local_template_path(url) is not None:
                self.notes.append(Note(message=f"nested stack {logical_id}: template {url} not found; its resources are not judged", location=where))
            elif (uploaded := uploaded_template(url, self.file.path, self.file.display)) is not None and uploaded.ambiguous:
                self.notes.append(
                    Note(
                        message=f"nested stack {logical_id}: {uploaded.how} names {' and '.join(uploaded.ambiguous)} alike, "
                        "so neither is read as its template; its resources are not judged",
                        location=where,
                    )
                )
            return None
        path, display = found
        if display in self.chain or len(self.chain) > MAX_NESTING:
            self.notes.append(Note(message=f"nested stack {logical_id}: {display} nests itself; read once", location=where))
            return None
        source = self.read_file(path, display)
        template = decode(source) if isinstance(source, SourceFile) else source
        if not isinstance(template, dict):
            reason = template.message if isinstance(template, Problem) else "it is not a template"
            self.notes.append(Note(message=f"nested stack {logical_id}: {display} cannot be read ({reason}); its resources are not judged", location=where))
            return None
        assert isinstance(source, SourceFile)
        passed = self._resolve(properties.get("Parameters"), [], "Parameters", 0)
        origin = f"parent stack {self.prefix}{logical_id} ({self.file.display})"
        given = {str(k): Given(v, origin) for k, v in passed.items()} if isinstance(passed, dict) else {}
        child = _Template(source, template, self.deploy_regions, given, self.read_file, f"{self.prefix}{logical_id}.", self.unit_id, self.chain)
        self._children[logical_id] = child
        return child

    def _output(self, name: str, refs: list[Reference], path: str, depth: int) -> Any:
        output = self.outputs.get(name)
        if not isinstance(output, dict) or "Value" not in output:
            return Unknown(f"output {name} of {self.file.display} is not declared")
        return self._resolve(output["Value"], refs, path, depth)

    # Intrinsic functions ----------------------------------------------------------------

    def _resolve(self, node: Any, refs: list[Reference], path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep()
        if isinstance(node, str):  # most nodes: tested first
            return node if type(node) is str else str(node)
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
        return node

    def _intrinsic(self, fn: str, arg: Any, refs: list[Reference], path: str, depth: int) -> Any:
        if fn == "Ref":
            return self._ref(arg, refs, path)
        if fn == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else _as_list(arg)
            target = str(parts[0]) if parts else "?"
            attribute = str(parts[1]) if len(parts) > 1 and isinstance(parts[1], str) else None
            if target in self.resources:
                if attribute and attribute.startswith("Outputs.") and (child := self._child(target)) is not None:
                    return child._output(attribute[len("Outputs.") :], refs, path, depth)
                refs.append(Reference(target=self.prefix + target, attribute=attribute, path=path))
                return UnknownAttribute(
                    f"{target}.{attribute} is known only after the stack is created",
                    (self.prefix + target,),
                    self.prefix + target,
                    attribute,
                )
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
            if chosen is not None and isinstance(items[0], str):
                self._rests_on(self._condition_text(items[0]))
            if chosen is True:
                return then
            if chosen is False:
                return otherwise
            if then == otherwise and not isinstance(then, Unknown):
                return then
            return Unknown(f"depends on condition {items[0]}, which is decided at deploy time", _refs_of(then, otherwise))
        if fn == "Fn::ImportValue":
            name = self._resolve(arg, refs, path, depth)
            if not isinstance(name, str):
                name = self._named_after_stack(arg, depth)
            if isinstance(name, str):
                refs.append(Reference(target=import_ref(name), attribute=None, path=path))
                return Unknown(f"Fn::ImportValue {name}: the value another stack exports", (import_ref(name),))
            return Unknown("Fn::ImportValue of a name known only at deploy time")
        if fn == "Fn::ToJsonString":
            value = self._resolve(arg, refs, path, depth)
            if contains_unknown(value):
                return Unknown("Fn::ToJsonString of a value known only at deploy time", _refs_of(value))
            import json

            return json.dumps(_plain(value), separators=(",", ":"))
        value = self._resolve(arg, refs, path, depth)
        if fn == "Fn::GetAZs":
            return self._zone_list(value)
        if fn == "Fn::Select" and (zone := _zone_at(value)) is not None:
            return zone
        if fn == "Fn::FindInMap" and isinstance(value, list) and len(value) >= 3 and isinstance(value[1], Unknown) and value[1] == self.region:
            return self._by_region(value)
        if fn == "Fn::Join" and (zone := self._joined_zone(value)) is not None:
            return zone
        if contains_unknown(value):
            if fn == "Fn::Join" and isinstance(value, list) and len(value) == 2 and value[0] == "," and isinstance(value[1], list):
                return JoinedList("Fn::Join of values known only at deploy time", tuple(value[1]), _refs_of(value))
            if fn == "Fn::Join" and (text := _joined_text(value)) is not None:
                return text  # `!Join ["-", [!Ref AWS::StackName, origin]]` is the text `!Sub` would build
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

    def _region_zone(self, suffix: str) -> Any:
        """`${AWS::Region}a` while the region is not known: the same zone letter is the same zone
        in every region, another letter another zone."""
        if not re.fullmatch(r"[a-z]", suffix):
            return Unknown("Fn::Sub of a value known only at deploy time")
        label = "${AWS::Region}" + suffix
        return UnknownZone(f"{label} is a zone of the region chosen at deploy time", "${AWS::Region}", "name", ord(suffix) - ord("a"), label)

    def _joined_zone(self, value: Any) -> Any:
        """`!Join ['', [!Ref AWS::Region, 'a']]` while the region is not known."""
        if (
            isinstance(value, list)
            and len(value) == 2
            and value[0] == ""
            and isinstance(value[1], list)
            and len(value[1]) == 2
            and isinstance(value[1][0], Unknown)
            and value[1][0] == self.region
            and isinstance(value[1][1], str)
        ):
            return self._region_zone(value[1][1])
        return None

    def _by_region(self, value: list[Any]) -> Any:
        """`!FindInMap [Map, !Ref AWS::Region, Key]` while the region is not known: the same
        value in every region the map (or configuration) names is that value; zone names that
        differ by region compare by key (two keys whose zones are equal in every region are the
        same zone, different in every region different zones)."""
        name, key = value[0], value[2]
        table = self.mappings.get(name) if isinstance(name, str) else None
        if not isinstance(table, dict) or not isinstance(key, str) or not table:
            return Unknown("Fn::FindInMap by a region known only at deploy time")
        regions = [r for r in self.deploy_regions] or [str(r) for r in table]
        rows = [table.get(r) for r in regions]
        if any(not isinstance(row, dict) or key not in row for row in rows):
            return Unknown(f"Fn::FindInMap [{name}, region, {key}]: not every region has {key}")
        column = tuple(_plain(row[key]) for row in rows)  # type: ignore[index]
        if all(v == column[0] for v in column):
            return column[0]
        if not all(isinstance(v, str) and _ZONE_NAME.match(v) for v in column):
            return Unknown(f"Fn::FindInMap [{name}, region, {key}] differs by region, which is known only at deploy time")
        columns: dict[tuple[Any, ...], str] = {}
        for other in sorted({str(k) for row in rows for k in row}):  # type: ignore[union-attr]
            if all(other in row for row in rows):  # type: ignore[operator]
                columns.setdefault(tuple(_plain(row[other]) for row in rows), other)  # type: ignore[index]
        for other_column in columns:
            same = [a == b for a, b in zip(other_column, column, strict=True)]
            if any(same) and not all(same):
                return Unknown(f"Fn::FindInMap [{name}, region, {key}]: the same zone as another key in some regions only")
        label = f"!FindInMap [{name}, ${{AWS::Region}}, {columns[column]}]"
        index = sorted(columns).index(column)
        return UnknownZone(f"{label} is a zone of the region chosen at deploy time", f"!FindInMap [{name}, ${{AWS::Region}}]", "name", index, label)

    def _ref(self, name: Any, refs: list[Reference], path: str) -> Any:
        if not isinstance(name, str):
            return Unknown("malformed Ref")
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name == "AWS::Region":
            return self.region
        if name == "AWS::URLSuffix":
            return "amazonaws.com"
        if name == "AWS::StackName" and self._stack_name is not None:
            return self._stack_name
        if name in _UNIT_PSEUDO_PARAMETERS:
            # One value wherever the unit reads it (nested stacks deploy to the same account)
            return UnknownInput(f"{name} is known only at deploy time", name)
        if name in _STACK_PSEUDO_PARAMETERS:
            # One value in this stack; a nested stack has a name of its own
            return UnknownInput(f"{name} is known only at deploy time", self.prefix + name)
        if name.startswith("AWS::"):
            return Unknown(f"{name} is known only at deploy time")
        if name in self.parameters:
            return self._parameter(name, refs, path)
        if name in self.resources:
            refs.append(Reference(target=self.prefix + name, attribute=None, path=path))
            return UnknownAttribute(
                f"{name} is known only after the stack is created", (self.prefix + name,), self.prefix + name, None
            )
        return Unknown(f"Ref to undeclared {name}")

    def _parameter(self, name: str, refs: list[Reference], path: str) -> Any:
        """A parameter's value: given from outside, else its default; always a string (or a list
        of strings), as CloudFormation passes it."""
        parameter = self.parameters[name]
        declared = _mapping(parameter)
        kind = str(declared.get("Type", "String"))
        if name in self.given:
            given = self.given[name]
            for unknown in unknowns_in(given.value):
                refs.extend(Reference(target=r, attribute=None, path=path) for r in unknown.refs)
            self._rests_on(f"parameter {name} from {given.origin}")
            if is_ssm_type(kind):
                return Unknown(f"parameter {name} names an SSM parameter whose value is read at deploy time")
            return typed_value(given.value, kind)
        if is_ssm_type(kind):
            return Unknown(f"parameter {name} names an SSM parameter whose value is read at deploy time")
        if "Default" in declared:
            default = typed_value(self._resolve(declared["Default"], refs, path, 0), kind)
            if isinstance(default, list) and any(isinstance(v, str) and _RESOURCE_ID.match(v) for v in default):
                # IDs exist in one account only: a list of them is the author's example.
                return Unknown(f"parameter {name}'s default lists resources of one account: its value is given at deploy time")
            self._rests_on(f"parameter {name}'s default")
            return default
        if self._stack_name is not None and kind == "String":
            return self._stack_name
        # Whoever deploys gives it: not known, but one value wherever this stack reads it.
        return UnknownInput(
            f"parameter {name} has no default: its value is given at deploy time (give it with --parameter {name}=VALUE)",
            self.prefix + name,
        )

    def _sub(self, arg: Any, refs: list[Reference], path: str, depth: int) -> Any:
        items = _as_list(arg)
        template = items[0] if items else ""
        variables = items[1] if len(items) > 1 and isinstance(items[1], dict) else {}
        if not isinstance(template, str):
            return Unknown("malformed Fn::Sub")
        text = str(template)
        if text.startswith("${AWS::Region}") and "AWS::Region" not in variables and isinstance(self.region, Unknown):
            suffix = text[len("${AWS::Region}") :]
            if re.fullmatch(r"[a-z]", suffix):
                return self._region_zone(suffix)
        values = {str(k): self._resolve(v, refs, path, depth) for k, v in variables.items()}
        out: list[Any] = []
        unknown_refs: list[str] = []
        unknown = False
        plain = False  # an unknown part without an identity: the text is a plain unknown
        i = 0
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
                if attribute.startswith("Outputs.") and (child := self._child(target)) is not None:
                    value = child._output(attribute[len("Outputs.") :], refs, path, depth)
                else:
                    refs.append(Reference(target=self.prefix + target, attribute=attribute, path=path))
                    value = UnknownAttribute(
                        f"{name} is known only after the stack is created", (self.prefix + target,), self.prefix + target, attribute
                    )
            else:
                value = self._ref(name, refs, path)
                if name == "AWS::Region" and isinstance(value, Unknown):
                    value = UnknownInput(value.reason, name)  # the one region this copy of the stack runs in
            if isinstance(value, Unknown):
                unknown = True
                unknown_refs.extend(value.refs)
                plain = plain or text_key(value) is None
                out.append(value)
            elif isinstance(value, (str, int, float, bool)):
                out.append(str(cfn_string(value)))
            else:
                unknown = plain = True
        if unknown:
            reason = "Fn::Sub of a value known only at deploy time"
            # Built from parts that each have an identity: the same parts in the same order are
            # the same string (`${AWS::StackName}-origin` read twice).
            built = None if plain else unknown_text(reason, out)
            return built if isinstance(built, Unknown) else Unknown(reason, tuple(dict.fromkeys(unknown_refs)))
        return "".join(out)

    def _pure(self, fn: str, value: Any) -> Any:
        """Intrinsics whose arguments are all known."""
        return _plain(self._pure_value(fn, value))

    def _pure_value(self, fn: str, value: Any) -> Any:
        try:
            if fn == "Fn::Join":
                separator, items = value
                return str(separator).join(str(cfn_string(v)) for v in items)
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
            if fn == "Fn::FindInMap" and len(value) > 3 and isinstance(value[3], dict) and "DefaultValue" in value[3]:
                return value[3]["DefaultValue"]  # language extensions: a default for a missing key
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
        decided, sources = self._traced(lambda: self._condition_expr(self.conditions[name], depth + 1))
        value: bool | None = decided if isinstance(decided, bool) else None
        self._condition_values[name] = value
        self._condition_sources[name] = tuple(sources)
        return value

    def _condition_expr(self, node: Any, depth: int) -> bool | None:
        if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
            return None
        (fn, arg), = node.items()
        items = _as_list(arg)
        if fn == "Condition":
            decided = self._condition(arg, depth)
            for source in self._condition_sources.get(str(arg), ()):
                self._rests_on(source)
            return decided
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
            return str(cfn_string(left)) == str(cfn_string(right))
        return None


def _resolver(template: _Template, value: Any, refs: list[Reference], path: str) -> Callable[[], Any]:
    return lambda: template._resolve(value, refs, path, 0)


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _plain(value: Any) -> Any:
    """Builtin types all the way down: cfn-lint's position-carrying node classes must not leak
    into the model (they cannot be pickled, and rules should not see them)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:  # most values: tested first
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:  # decided once per type (what it converts to depends on nothing else)
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def _converter(kind: type) -> Callable[[Any], Any]:
    if issubclass(kind, bool):
        return _same
    if issubclass(kind, str):
        return str
    if issubclass(kind, int):
        return int
    if issubclass(kind, float):
        return float
    if issubclass(kind, dict):
        return lambda value: {str(k): _plain(v) for k, v in value.items()}
    if issubclass(kind, (list, tuple)):
        return lambda value: [_plain(v) for v in value]
    if issubclass(kind, (ZoneList, UnknownZone)):
        return _same  # built from f-strings: plain already
    if issubclass(kind, UnknownAttribute):
        return lambda value: UnknownAttribute(
            str(value.reason), tuple(str(r) for r in value.refs), str(value.address), None if value.attribute is None else str(value.attribute)
        )
    if issubclass(kind, UnknownInput):
        return lambda value: UnknownInput(str(value.reason), str(value.name))
    if issubclass(kind, UnknownText):
        return lambda value: UnknownText(str(value.reason), tuple(_plain(p) for p in value.parts), tuple(str(r) for r in value.refs))
    if issubclass(kind, Unknown):
        return lambda value: Unknown(str(value.reason), tuple(str(r) for r in value.refs))
    return _same


def _same(value: Any) -> Any:
    return value


_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def _joined_text(value: Any) -> Unknown | None:
    """`Fn::Join` of known strings and values with an identity: the text built from them (an
    `UnknownText`, equal to any text built from the same parts); None otherwise."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], list)):
        return None
    parts: list[Any] = []
    for item in value[1]:
        if parts:
            parts.append(value[0])
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            parts.append(str(cfn_string(item)))
        elif isinstance(item, Unknown) and text_key(item) is not None:
            parts.append(item)
        else:
            return None
    text = unknown_text("Fn::Join of values known only at deploy time", parts)
    return text if isinstance(text, Unknown) else None


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
