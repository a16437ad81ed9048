"""`--var NAME=VALUE` checked as `terraform plan` checks it: a name no root module declares is an
error ("Value for undeclared variable"), and a value that cannot be converted to the variable's
declared type is an error ("Invalid value for input variable"). Only the roots' `variable` blocks
are read, through the parse cache."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

from resilint.cache import ParseCache
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.source import ModuleSource, build_module, parse_file
from resilint.parsers.terraform.types import ANY, Collection, ObjectType, Primitive, TupleType
from resilint.paths import display_path

_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
_BOOLEANS = ("true", "false", "1", "0")  # what Terraform converts from a string to a bool


def assignment_errors(
    roots: Iterable[Path], assignments: Sequence[tuple[str, str]], max_bytes: int, cache: ParseCache | None = None
) -> list[str]:
    """Errors, in Terraform's words, for `--var` (name, raw value) pairs against the variables
    the root modules in `roots` declare; empty when every one is declared and convertible."""
    modules = [_module(root, max_bytes, cache) for root in sorted(set(roots))]
    errors = []
    for name, raw in assignments:
        declaring = [m for m in modules if name in m.variables]
        if not declaring:
            known = sorted({v for m in modules for v in m.variables})
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            errors.append(
                f"--var {name}=...: value for undeclared variable: no root module scanned declares a variable "
                f'named "{name}"{hint} (add a variable block, or remove the --var)'
            )
            continue
        for module in declaring:
            problem = _conversion_problem(module, name, raw)
            if problem is not None:
                where = module.variables[name].location()
                errors.append(
                    f"--var {name}={raw}: invalid value for input variable: the value is not suitable for "
                    f"var.{name} declared at {where.path}:{where.line}: {problem}"
                )
                break
    return errors


def _module(root: Path, max_bytes: int, cache: ParseCache | None) -> ModuleSource:
    bodies: list[tuple[str, s.Body]] = []
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.name.lower().endswith(_SUFFIXES)):
        display = display_path(path)
        body = parse_file(path, display, max_bytes, cache=cache)
        if isinstance(body, s.Body):  # a file that does not parse is reported by the scan (RES001)
            bodies.append((display, body))
    return build_module(root, display_path(root), bodies)


def _conversion_problem(module: ModuleSource, name: str, raw: str) -> str | None:
    """Why Terraform would refuse `raw` for the variable's type, or None."""
    spec = module.variable_type(name)
    if spec == ANY or spec == Primitive("string"):
        return None
    if spec == Primitive("number"):
        try:
            float(raw.strip())
        except ValueError:
            return "a number is required"
        return None
    if spec == Primitive("bool"):
        return None if raw.strip() in _BOOLEANS else "a bool is required"
    if isinstance(spec, (Collection, ObjectType, TupleType)):
        kind = spec.kind if isinstance(spec, Collection) else "object" if isinstance(spec, ObjectType) else "tuple"
        try:
            expr = s.parse_expression(raw)
        except s.HclSyntaxError:
            return f"a {kind} is required, written as an HCL expression (such as '[\"a\", \"b\"]' or '{{a = 1}}')"
        wanted = s.ObjectExpr if kind in ("map", "object") else s.TupleExpr
        if not isinstance(expr, wanted):  # Terraform allows no references or calls here either
            return f"a {kind} is required"
    return None
