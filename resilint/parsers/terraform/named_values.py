"""A module instance's input variables, locals and outputs, and what each value rests on when
the code that reads it does not write it: a variable's default or the value given to it (a
.tfvars file, the command line, the caller's module argument), a local's definition."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from resilint.model import Unknown, UnknownInput
from resilint.parsers.terraform.evaluate import MISSING, EvalError
from resilint.parsers.terraform.provenance import at, local_value, variable_default
from resilint.parsers.terraform.source import literal
from resilint.parsers.terraform.types import convert

if TYPE_CHECKING:
    from resilint.parsers.terraform.module_instance import ModuleInstance


class NamedValues:
    """`var.x`, `local.x` and the instance's outputs, each computed once. `inputs` are the
    caller's arguments (or the root's variable values), evaluated when first read; `origins`
    says where each is given ("argument multi_az of module.db at main.tf:7")."""

    def __init__(self, instance: ModuleInstance, inputs: Mapping[str, Callable[[], Any]], origins: Mapping[str, str]) -> None:
        self._instance = instance
        self._inputs = inputs
        self._origins = origins

    def var(self, name: str) -> Any:
        instance = self._instance

        def compute() -> Any:
            decl = instance.source.variables.get(name)
            if decl is None:
                # Terraform refuses the folder as it is, but a Terragrunt `generate` block (or a
                # file copied in before `init`) declares the variable at deploy time: its value is
                # not known here, one value wherever the instance reads it, as an input given none.
                return UnknownInput(f"var.{name} is not declared here (a file generated at deploy time may declare it)", f"{instance.prefix}var.{name}")
            body = decl.block.body
            default = body.attributes.get("default")
            value = self._inputs[name]() if name in self._inputs else MISSING
            if value is None and default is not None and literal(body, "nullable") is False:
                value = MISSING  # nullable = false: null means "use the default"
            tracer = instance.unit.tracer
            if value is MISSING:
                if default is None:
                    # One value wherever the instance reads it, decided by whoever deploys.
                    return UnknownInput(
                        f"var.{name} has no value (give it a default, a .tfvars file, or --var)", f"{instance.prefix}var.{name}"
                    )
                value = instance.evaluator.evaluate(default.expr)
                line = None if "default" in decl.overridden else default.pos.line  # else in an override file
                tracer.rests_on(variable_default(name, at(decl.file, line)))
            elif name in self._origins:
                tracer.rests_on(self._origins[name])
            try:
                return convert(value, instance.source.variable_type(name))
            except EvalError as exc:
                return Unknown(f"the value of var.{name} does not match its type: {exc}")

        return instance.memo.get(f"var.{name}", compute)

    def local(self, name: str) -> Any:
        instance = self._instance

        def compute() -> Any:
            found = instance.source.locals.get(name)
            if found is None:
                raise EvalError(f"local.{name} is not declared")
            attribute, file = found
            instance.unit.tracer.rests_on(local_value(name, at(file, attribute.pos.line)))
            return instance.evaluator.evaluate(attribute.expr)

        return instance.memo.get(f"local.{name}", compute)

    def output(self, name: str) -> Any:
        instance = self._instance

        def compute() -> Any:
            decl = instance.source.outputs.get(name)
            if decl is None:
                raise EvalError(f"output {name!r} is not declared in {instance.source.display}")
            value = decl.block.body.attributes.get("value")
            return instance.evaluator.evaluate(value.expr) if value is not None else None

        return instance.memo.get(f"output.{name}", compute)
