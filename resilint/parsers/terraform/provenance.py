"""Where a Terraform value comes from when the argument's own code does not fix it, in the words
a finding uses: "variable db_multi_az's default at variables.tf:12", "variable db_multi_az from
prod.tfvars:3", "argument multi_az of module.db at main.tf:7", "local.multi_az at locals.tf:2",
"condition var.env == "prod" (variable env's default at variables.tf:2)".

The evaluator records these texts as it reads variables, locals and module arguments and decides
conditionals (`references.Tracer`); each resource attribute keeps those it rested on in
`Resource.provenance`, and `resilint.provenance` appends them to findings, the same way for
CloudFormation's parameters and conditions. A value written on the resource itself rests on
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from resilint.parsers.terraform import syntax as s

MAX_CONDITION_TEXT = 100  # characters of a condition shown; longer ones are cut with "..."

# Precedence of binary operators (Terraform's), to parenthesise operands only where needed.
_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def at(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else path


def variable_default(name: str, where: str) -> str:
    return f"variable {name}'s default at {where}"


def variable_given(name: str, origin: str) -> str:
    """`origin`: a tfvars file and line, "the command line", "TF_VAR_name"..."""
    return f"variable {name} from {origin}"


def module_argument(call: str, name: str, where: str) -> str:
    return f"argument {name} of module.{call} at {where}"


def local_value(name: str, where: str) -> str:
    return f"local.{name} at {where}"


def condition(text: str, rests_on: Iterable[str]) -> str:
    """A decided conditional (`text` from `condition_text`), with what its condition rested on
    in parentheses, as CloudFormation's "condition IsProd (parameter Env's default)"."""
    if not rests_on:
        return f"condition {text}"
    return f"condition {text} ({joined(rests_on)})"


def condition_text(expr: s.Expr) -> str:
    """A condition as a finding shows it: its code, cut when long."""
    text = expression_text(expr)
    if len(text) > MAX_CONDITION_TEXT:
        text = text[: MAX_CONDITION_TEXT - 3].rstrip() + "..."
    return text


def joined(sources: Iterable[str]) -> str:
    return "; ".join(sorted(sources))


def expression_text(expr: s.Expr) -> str:
    """An expression written back as HCL, closely enough to recognise it in the code."""
    kind = type(expr)
    if kind is s.Literal:
        return _literal(expr.value)  # type: ignore[union-attr]
    if isinstance(expr, s.Name):
        return expr.name
    if isinstance(expr, s.GetAttr):
        return f"{expression_text(expr.obj)}.{expr.name}"
    if isinstance(expr, s.Index):
        return f"{expression_text(expr.obj)}[{expression_text(expr.key)}]"
    if isinstance(expr, s.Splat):
        steps = "".join(f".{step}" if isinstance(step, str) else f"[{expression_text(step)}]" for step in expr.steps)
        return f"{expression_text(expr.obj)}[*]{steps}"
    if isinstance(expr, s.Call):
        args = ", ".join(expression_text(a) for a in expr.args)
        return f"{expr.name}({args}{'...' if expr.expand_final else ''})"
    if isinstance(expr, s.Binary):
        return f"{_operand(expr.left, expr.op)} {expr.op} {_operand(expr.right, expr.op, right=True)}"
    if isinstance(expr, s.Unary):
        inner = expression_text(expr.operand)
        return f"{expr.op}({inner})" if isinstance(expr.operand, (s.Binary, s.Conditional)) else f"{expr.op}{inner}"
    if isinstance(expr, s.Conditional):
        return f"{expression_text(expr.cond)} ? {expression_text(expr.then)} : {expression_text(expr.otherwise)}"
    if isinstance(expr, s.Template):
        return '"' + "".join(p.replace('"', '\\"') if isinstance(p, str) else "${" + expression_text(p) + "}" for p in expr.parts) + '"'
    if isinstance(expr, s.TupleExpr):
        return "[" + ", ".join(expression_text(i) for i in expr.items) + "]"
    if isinstance(expr, s.ObjectExpr):
        return "{" + ", ".join(f"{expression_text(k)} = {expression_text(v)}" for k, v in expr.items) + "}"
    if isinstance(expr, s.ForExpr):
        return "[for ...]" if expr.key is None else "{for ...}"
    return "..."


def _operand(expr: s.Expr, op: str, right: bool = False) -> str:
    text = expression_text(expr)
    if isinstance(expr, s.Conditional):
        return f"({text})"
    if isinstance(expr, s.Binary):
        inner, outer = _PRECEDENCE.get(expr.op, 0), _PRECEDENCE.get(op, 0)
        if inner < outer or (right and inner == outer):
            return f"({text})"
    return text


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
