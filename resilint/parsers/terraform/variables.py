"""Values of a root module's input variables, with Terraform's precedence:

default < TF_VAR_name environment variables < terraform.tfvars < terraform.tfvars.json
< *.auto.tfvars / *.auto.tfvars.json (in name order) < --var-file files (in the order given)
< --var values (in the order given). Terraform interleaves -var-file and -var in command-line
order; the options reach the parser as two lists, so files come first.

Values are raw here: the module instance converts each to its declared type when it is read.
Where each value was given ("prod.tfvars:3", "the command line") is said beside it, for what
findings rest on (`provenance`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import Problem, Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.provenance import at, variable_given
from resilint.parsers.terraform.source import ModuleSource, parse_tfvars
from resilint.parsers.terraform.types import ANY, Primitive
from resilint.paths import display_path


class TfvarsFiles:
    """Reads each .tfvars file once per scan, however many roots load it (a --var-file is
    loaded by every root; the same files are checked for syntax errors)."""

    def __init__(self, max_bytes: int = 20 << 20, cache: ParseCache | None = None) -> None:
        self.max_bytes = max_bytes
        self.cache = cache
        self._read: dict[Path, dict[str, s.Expr] | Problem] = {}

    def read(self, path: Path) -> dict[str, s.Expr] | Problem:
        key = path.resolve()
        if key not in self._read:
            self._read[key] = parse_tfvars(path, display_path(path), self.max_bytes, self.cache)
        return self._read[key]


@dataclass
class VariableOptions:
    var_files: tuple[Path, ...] = ()
    # (name, raw value) pairs from --var, in command-line order
    variables: tuple[tuple[str, str], ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    tfvars: TfvarsFiles = field(default_factory=TfvarsFiles)
    # --var-file and --var exactly as given, interleaved: ("file", path, "") or ("var", name,
    # value). Applied last, in this order, as `terraform plan` does.
    command_line: tuple[tuple[str, str, str], ...] = ()


def _literal_evaluator() -> Evaluator:
    def no_references(name: str, steps: Steps) -> Any:
        raise EvalError(f"variables may not refer to {name}")

    return Evaluator(no_references, FUNCTIONS)


def _from_string(module: ModuleSource, name: str, raw: str) -> Any:
    """A string from the command line or the environment, read as Terraform does: literally
    when the variable has no type or a primitive one (converted to a number or bool when the
    variable is read), as an HCL expression for collection, object and `any` types."""
    decl = module.variables.get(name)
    typed = decl is not None and "type" in decl.block.body.attributes
    spec = module.variable_type(name)
    if not typed or (isinstance(spec, Primitive) and spec != ANY):
        return raw
    try:
        expr = s.parse_expression(raw)
    except s.HclSyntaxError:
        return Unknown(f"the value given for var.{name} is not a valid expression for its type")
    return _literal_evaluator().evaluate(expr)


def root_variable_values(
    module: ModuleSource, options: VariableOptions, origins: dict[str, str] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The root's variable values; with `origins`, where each was given is written into it
    ("variable multi_az from prod.tfvars:3")."""
    values: dict[str, Any] = {}
    given: dict[str, str] = {} if origins is None else origins
    problems: list[Problem] = []
    evaluator = _literal_evaluator()
    declared = set(module.variables)

    def from_file(path: Path) -> None:
        parsed = options.tfvars.read(path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            return
        shown = display_path(path)
        json = path.name.lower().endswith(".json")  # a .tfvars.json value has no line of its own
        for name, expr in parsed.items():
            if name in declared:
                values[name] = evaluator.evaluate(expr)
                given[name] = variable_given(name, at(shown, None if json else expr.pos.line))

    def from_text(name: str, raw: str, origin: str) -> None:
        values[name] = _from_string(module, name, raw)
        given[name] = variable_given(name, origin)

    for key, raw in options.environment.items():
        if key.startswith("TF_VAR_") and key[7:] in declared:
            from_text(key[7:], raw, key)

    files = [module.dir / "terraform.tfvars", module.dir / "terraform.tfvars.json"]
    files += sorted(
        p for p in module.dir.glob("*.auto.tfvars*") if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    for item in [p for p in files if p.is_file()] + [Path(p) for p in options.var_files]:
        from_file(item)
    for name, raw in options.variables:
        if name in declared:
            from_text(name, raw, "the command line")
    for kind, first, second in options.command_line:
        if kind == "var":
            if first in declared:
                from_text(first, second, "the command line")
            continue
        from_file(Path(first))
    return values, problems
