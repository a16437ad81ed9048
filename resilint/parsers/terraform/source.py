"""One Terraform module folder, parsed: its declarations, each with the file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from resilint.cache import ParseCache
from resilint.model import Location, Problem
from resilint.parsers.guards import internal_error, paused_gc
from resilint.parsers.json_text import JsonTextError, load_json
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.json_syntax import JsonSyntaxError, parse_json_config
from resilint.parsers.terraform.repository_sources import checkout_folder, repository_source
from resilint.parsers.terraform.types import TypeSpec, parse_type
from resilint.placement import provider_type_of_source
from resilint.sources import problem, read_text


@dataclass(frozen=True)
class Decl:
    """A top-level block and the file (display path) it was written in. `overridden` names the
    arguments and nested blocks an override file replaced: their lines are in another file."""

    block: s.Block
    file: str
    overridden: frozenset[str] = frozenset()

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
    _provider_types: dict[str, str] | None = field(default=None, repr=False)
    _variable_types: dict[str, TypeSpec] = field(default_factory=dict, repr=False)
    _repository_sources: dict[str, Path] | None = field(default=None, repr=False)

    def provider_type(self, local_name: str) -> str:
        """The provider type a local name stands for (`required_providers { dns = { source =
        "hashicorp/aws" } }` makes `dns` an `aws`); a name not declared is its own type."""
        if self._provider_types is None:
            self._provider_types = {}
            for decl in self.terraform:
                for block in decl.block.body.blocks_of("required_providers"):
                    for name, attr in block.body.attributes.items():
                        source = _object_literal(attr.expr).get("source")
                        if isinstance(source, str) and source:
                            self._provider_types[name] = provider_type_of_source(source)
        return self._provider_types.get(local_name, local_name)

    def variable_type(self, name: str) -> TypeSpec:
        if name not in self._variable_types:
            decl = self.variables.get(name)
            attr = decl.block.body.attributes.get("type") if decl is not None else None
            self._variable_types[name] = parse_type(attr.expr if attr is not None else None)
        return self._variable_types[name]

    def repository_module_sources(self) -> dict[str, Path]:
        """Module calls whose registry or git source is the repository this folder is in: the
        examples of a module repository call it as `terraform-aws-modules/vpc/aws` from inside
        `terraform-aws-vpc/` (`repository_sources` says how that folder is known). By call name."""
        if self._repository_sources is None:
            self._repository_sources = {}
            for name, decl in self.modules.items():
                source = literal(decl.block.body, "source")
                wanted = repository_source(source) if isinstance(source, str) else None
                target = checkout_folder(self.dir, wanted) if wanted is not None else None
                if target is not None:
                    self._repository_sources[name] = target
        return self._repository_sources

    def local_module_sources(self) -> dict[str, Path]:
        """Module calls whose source is a local path, by call name."""
        found = {}
        for name, decl in self.modules.items():
            source = literal(decl.block.body, "source")
            if isinstance(source, str) and source.startswith(("./", "../")):
                found[name] = (self.dir / source).resolve()
        return found


def _object_literal(expr: s.Expr) -> dict[str, object]:
    if not isinstance(expr, s.ObjectExpr):
        return {}
    return {
        str(key.value): value.value
        for key, value in expr.items
        if isinstance(key, s.Literal) and isinstance(value, s.Literal)
    }


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
    """One .tf, .tf.json, .tofu or .tofu.json file as a Body, or the Problem that stops it."""
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
        with paused_gc(kept=True):  # a file's tree lives until the scan ends
            body = parse_json_config(text) if is_json else s.parse_hcl(text)
    except (s.HclSyntaxError, JsonSyntaxError) as exc:
        return SyntaxFailure(exc.message, exc.line, exc.column)
    except Exception as error:  # a bug in the reader must cost this file only
        found = internal_error("", error)
        return SyntaxFailure(found.message, 1, None)
    return _wrong_labels(body) or body


# The labels Terraform requires on its top-level blocks (configs' file schema), by block type.
LABELS = {
    "resource": ("type", "name"),
    "data": ("type", "name"),
    "module": ("name",),
    "variable": ("name",),
    "output": ("name",),
    "provider": ("name",),
    "terraform": (),
    "locals": (),
}


def _wrong_labels(body: s.Body) -> SyntaxFailure | None:
    """The first top-level block with too few or too many labels, in Terraform's words (it
    rejects the file: `resource "aws_instance" {}` has no name to be addressed by)."""
    for block in body.blocks:
        names = LABELS.get(block.type)
        if names is None or len(block.labels) == len(names):
            continue
        if len(block.labels) < len(names):
            count = f"{len(names)} label{'s' if len(names) > 1 else ''} ({', '.join(names)})"
            message = f"Missing {names[len(block.labels)]} for {block.type}: all {block.type} blocks must have {count}"
        elif names:
            count = f"{len(names)} label{'s' if len(names) > 1 else ''} ({', '.join(names)})"
            message = f"Extraneous label for {block.type}: only {count} {'are' if len(names) > 1 else 'is'} expected for {block.type} blocks"
        else:
            message = f"Extraneous label for {block.type}: no labels are expected for {block.type} blocks"
        return SyntaxFailure(message, block.pos.line, block.pos.column)
    return None


def is_override_file(name: str) -> bool:
    base = name.lower()
    for suffix in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if base.endswith(suffix):
            stem = base[: -len(suffix)]
            return stem == "override" or stem.endswith("_override")
    return False


def build_module(dir: Path, display: str, bodies: list[tuple[str, s.Body]]) -> ModuleSource:
    """Collect a folder's declarations. Files are merged in name order, as Terraform does;
    override files (`override.tf`, `*_override.tf`) come last and are merged into the blocks
    they override."""
    module = ModuleSource(dir=dir, display=display)
    primary = [(f, b) for f, b in bodies if not is_override_file(Path(f).name)]
    overrides = [(f, b) for f, b in bodies if is_override_file(Path(f).name)]
    for file, body in primary:
        module.files.append(file)
        for block in body.blocks:
            _declare(module, Decl(block, file))
    for file, body in overrides:
        module.files.append(file)
        for block in body.blocks:
            _override(module, block, file)
    return module


def _declare(module: ModuleSource, decl: Decl) -> None:
    block = decl.block
    kind, labels = block.type, block.labels
    if kind == "resource" and len(labels) == 2:
        module.resources[(labels[0], labels[1])] = decl
    elif kind == "data" and len(labels) == 2:
        module.data[(labels[0], labels[1])] = decl
    elif kind == "variable" and len(labels) == 1:
        module.variables[labels[0]] = decl
    elif kind == "locals":
        for name, attr in block.body.attributes.items():
            module.locals[name] = (attr, decl.file)
    elif kind == "provider" and len(labels) == 1:
        module.providers.append(decl)
    elif kind == "module" and len(labels) == 1:
        module.modules[labels[0]] = decl
    elif kind == "output" and len(labels) == 1:
        module.outputs[labels[0]] = decl
    elif kind == "terraform":
        module.terraform.append(decl)


def _override(module: ModuleSource, block: s.Block, file: str) -> None:
    """Merge an override file's block into the block it overrides. A block with nothing to
    override is ignored (Terraform rejects it)."""
    kind, labels = block.type, block.labels
    if kind in ("resource", "data") and len(labels) == 2:
        blocks = module.resources if kind == "resource" else module.data
        if (labels[0], labels[1]) in blocks:
            blocks[(labels[0], labels[1])] = _merged(blocks[(labels[0], labels[1])], block)
        return
    if kind in ("variable", "module", "output") and len(labels) == 1:
        named = {"variable": module.variables, "module": module.modules, "output": module.outputs}[kind]
        if labels[0] in named:
            named[labels[0]] = _merged(named[labels[0]], block)
        return
    if kind == "locals":
        for name, attr in block.body.attributes.items():
            module.locals[name] = (attr, file)
    elif kind == "provider" and len(labels) == 1:
        alias = literal(block.body, "alias")
        for i, decl in enumerate(module.providers):
            if decl.block.labels == labels and literal(decl.block.body, "alias") == alias:
                module.providers[i] = _merged(decl, block)
    elif kind == "terraform":
        module.terraform.append(Decl(block, file))  # later required_providers entries win


def _block_key(block: s.Block) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def _merged(base: Decl, override: s.Block) -> Decl:
    """Override arguments replace the base's; an override's nested blocks replace every base
    block of the same type, except `lifecycle`, which is merged argument by argument."""
    attributes = dict(base.block.body.attributes)
    attributes.update(override.body.attributes)
    replaced = {_block_key(b) for b in override.body.blocks}
    blocks = [b for b in base.block.body.blocks if _block_key(b) not in replaced]
    for block in override.body.blocks:
        if block.type == "lifecycle":
            old = next((b for b in base.block.body.blocks if b.type == "lifecycle"), None)
            if old is not None:
                merged_attributes = {**old.body.attributes, **block.body.attributes}
                block = s.Block(block.type, block.labels, s.Body(merged_attributes, block.body.blocks or old.body.blocks), old.pos)
        blocks.append(block)
    body = s.Body(attributes, tuple(blocks))
    overridden = base.overridden | set(override.body.attributes) | replaced
    return Decl(s.Block(base.block.type, base.block.labels, body, base.block.pos), base.file, frozenset(overridden))


def parse_tfvars(
    path: Path, display: str, max_bytes: int, cache: ParseCache | None = None
) -> dict[str, s.Expr] | Problem:
    """A .tfvars / .tfvars.json file as name -> expression."""
    read = read_text(path, display, max_bytes)
    if not isinstance(read, str):
        return read
    if path.name.lower().endswith(".json"):
        try:
            data = load_json(read)
        except JsonTextError as exc:
            return problem(display, f"invalid JSON: {exc.message}", exc.line, exc.column)
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
