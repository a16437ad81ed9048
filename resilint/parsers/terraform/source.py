"""One Terraform module folder, parsed: its declarations, each with the file it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from resilint.cache import ParseCache
from resilint.model import Location, Problem
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.json_syntax import JsonSyntaxError, parse_json_config
from resilint.sources import problem, read_text


@dataclass(frozen=True)
class Decl:
    """A top-level block and the file (display path) it was written in."""

    block: s.Block
    file: str

    def location(self) -> Location:
        return Location(path=self.file, line=self.block.pos.line, end_line=self.block.pos.end_line)


@dataclass
class ModuleSource:
    dir: Path
    display: str
    files: list[str] = field(default_factory=list)
    variables: dict[str, Decl] = field(default_factory=dict)
    locals: dict[str, tuple[s.Attribute, str]] = field(default_factory=dict)
    providers: list[Decl] = field(default_factory=list)
    resources: dict[tuple[str, str], Decl] = field(default_factory=dict)
    data: dict[tuple[str, str], Decl] = field(default_factory=dict)
    modules: dict[str, Decl] = field(default_factory=dict)
    outputs: dict[str, Decl] = field(default_factory=dict)
    terraform: list[Decl] = field(default_factory=list)

    def local_module_sources(self) -> dict[str, Path]:
        """Module calls whose source is a local path, by call name."""
        found = {}
        for name, decl in self.modules.items():
            source = literal(decl.block.body, "source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                found[name] = (self.dir / source).resolve()
        return found


def literal(body: s.Body, name: str) -> object:
    attr = body.attributes.get(name)
    if attr is not None and isinstance(attr.expr, s.Literal):
        return attr.expr.value
    return None


@dataclass(frozen=True)
class SyntaxFailure:
    """Why a file's text does not parse (kept apart from its path so it can be cached)."""

    message: str
    line: int
    column: int | None


def parse_file(
    path: Path, display: str, max_bytes: int, text: str | None = None, cache: ParseCache | None = None
) -> s.Body | Problem:
    """One .tf or .tf.json file as a Body, or the Problem that stops it."""
    if text is None:
        read = read_text(path, display, max_bytes)
        if not isinstance(read, str):
            return read
        text = read
    is_json = path.name.lower().endswith(".json")
    source = text
    result = (
        cache.get_or_compute("tf-json" if is_json else "hcl", source, lambda: parse_text(source, is_json))
        if cache is not None
        else parse_text(source, is_json)
    )
    if isinstance(result, SyntaxFailure):
        return problem(display, result.message, result.line, result.column)
    return result


def parse_text(text: str, is_json: bool) -> s.Body | SyntaxFailure:
    try:
        return parse_json_config(text) if is_json else s.parse_hcl(text)
    except (s.HclSyntaxError, JsonSyntaxError) as exc:
        return SyntaxFailure(exc.message, exc.line, exc.column)


def build_module(dir: Path, display: str, bodies: list[tuple[str, s.Body]]) -> ModuleSource:
    """Collect a folder's declarations. Files are merged in name order, as Terraform does."""
    module = ModuleSource(dir=dir, display=display)
    for file, body in bodies:
        module.files.append(file)
        for block in body.blocks:
            decl = Decl(block, file)
            kind, labels = block.type, block.labels
            if kind == "resource" and len(labels) == 2:
                module.resources[(labels[0], labels[1])] = decl
            elif kind == "data" and len(labels) == 2:
                module.data[(labels[0], labels[1])] = decl
            elif kind == "variable" and len(labels) == 1:
                module.variables[labels[0]] = decl
            elif kind == "locals":
                for name, attr in block.body.attributes.items():
                    module.locals[name] = (attr, file)
            elif kind == "provider" and len(labels) == 1:
                module.providers.append(decl)
            elif kind == "module" and len(labels) == 1:
                module.modules[labels[0]] = decl
            elif kind == "output" and len(labels) == 1:
                module.outputs[labels[0]] = decl
            elif kind == "terraform":
                module.terraform.append(decl)
    return module


def parse_tfvars(
    path: Path, display: str, max_bytes: int, cache: ParseCache | None = None
) -> dict[str, s.Expr] | Problem:
    """A .tfvars / .tfvars.json file as name -> expression."""
    read = read_text(path, display, max_bytes)
    if not isinstance(read, str):
        return read
    if path.name.lower().endswith(".json"):
        try:
            data = json.loads(read)
        except json.JSONDecodeError as exc:
            return problem(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
        except RecursionError:
            return problem(display, "JSON nested too deeply to analyse")
        if not isinstance(data, dict):
            return problem(display, "a .tfvars.json file must hold a JSON object")
        pos = s.Pos(1, 1)
        return {k: s.Literal(v, pos) if not isinstance(v, (dict, list)) else _json_value(v, pos) for k, v in data.items()}
    text = read
    body = (
        cache.get_or_compute("hcl", text, lambda: parse_text(text, False))
        if cache is not None
        else parse_text(text, False)
    )
    if isinstance(body, SyntaxFailure):
        return problem(display, body.message, body.line, body.column)
    return {name: attr.expr for name, attr in body.attributes.items()}


def _json_value(value: object, pos: s.Pos) -> s.Expr:
    if isinstance(value, dict):
        return s.ObjectExpr(tuple((s.Literal(k, pos), _json_value(v, pos)) for k, v in value.items()), pos)
    if isinstance(value, list):
        return s.TupleExpr(tuple(_json_value(v, pos) for v in value), pos)
    return s.Literal(value, pos)
