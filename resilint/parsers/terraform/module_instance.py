"""One instance of a module (the root, or one instance of a `module` call) being evaluated.

The instance resolves the names its expressions start with and hands each kind to the part
that knows it: variables, locals and outputs (`named_values`), data sources (`data_sources`),
module calls (`module_calls`), resources (`resources`); its provider configurations are in
`providers`, and block bodies are evaluated by `blocks`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from resilint.model import Location, ProviderConfig, Resource, Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.blocks import BlockEvaluator
from resilint.parsers.terraform.data_sources import DataSources
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.instances import Instances, count_instances
from resilint.parsers.terraform.memo import Memo
from resilint.parsers.terraform.module_calls import ModuleCalls
from resilint.parsers.terraform.named_values import NamedValues
from resilint.parsers.terraform.providers import ModuleProviders
from resilint.parsers.terraform.resources import ModuleResources
from resilint.parsers.terraform.source import Decl, ModuleSource
from resilint.parsers.terraform.unit_context import UnitContext


class ModuleInstance:
    """`anchor` is set for modules downloaded by `terraform init`: everything in them is located
    at the module call in the user's code. `multiplicity` is set when the call's own count or
    for_each is unknown: every resource inside may exist any number of times. `origins` says
    where each input is given, for what values rest on (`provenance`).
    """

    def __init__(
        self,
        unit: UnitContext,
        source: ModuleSource,
        prefix: str,
        inputs: Mapping[str, Callable[[], Any]],
        inherited: Mapping[str, ProviderConfig | Unknown],
        stack: tuple[Path, ...],
        call_path: tuple[str, ...] = (),
        call_sites: tuple[Location, ...] = (),
        anchor: Location | None = None,
        multiplicity: Unknown | None = None,
        origins: Mapping[str, str] | None = None,
    ) -> None:
        self.unit = unit
        self.source = source
        self.prefix = prefix
        self.stack = stack
        self.call_path = call_path
        # Where each module call on the way here is written (outermost first): a suppression on
        # a module call covers the findings inside it.
        self.call_sites = call_sites
        self.anchor = anchor
        self.multiplicity = multiplicity
        self.memo = Memo(unit.tracer)
        self.evaluator = Evaluator(self._root, unit.functions, unit.budget.steps, unit.tracer)
        self.blocks = BlockEvaluator(self.evaluator, unit.tracer)
        self.names = NamedValues(self, inputs, origins or {})
        self.data = DataSources(self)
        self.calls = ModuleCalls(self)
        self.resources = ModuleResources(self)
        self.providers = ModuleProviders(self, inherited)
        self.providers.configure()

    def location(self, decl: Decl) -> Location:
        """Where a declaration is reported: at itself, or at the call of a downloaded module."""
        return self.anchor if self.anchor is not None else decl.location()

    def instances_of(self, body: s.Body, what: str) -> Instances:
        """A block's count/for_each instances (what they read is no argument's reference; what
        they rest on is the resource's `count` or `for_each` provenance, and `each` rests on it)."""
        result, sources = self.unit.tracer.isolated_with_sources(lambda: count_instances(self.evaluator, body, what))
        instances: Instances = result
        if not sources:
            return instances
        return Instances(instances.keys, instances.values, instances.unknown, sources)

    def over_budget(self, decl: Decl, what: str) -> None:
        budget = self.unit.budget
        if not budget.exhausted:
            budget.exhausted = True
            self.unit.note(f"{self.unit.id} expands to {what}; the rest of the unit is not analysed", self.location(decl))

    # Names in expressions ----------------------------------------------------------------

    def _root(self, name: str, steps: Steps) -> Any:
        if name == "var":
            return self.names.var(steps.name("var"))
        if name == "local":
            return self.names.local(steps.name("local"))
        if name == "module":
            return self.calls.value(steps.name("module"))
        if name == "data":
            data_type = steps.name("data")
            return self.data.value(data_type, steps.name(f"data.{data_type}"))
        if name == "path":
            return self._path(steps.name("path"))
        if name == "terraform":
            workspace = self.unit.environment.get("TF_WORKSPACE")
            if steps.peek() == "workspace" and workspace:
                steps.take()
                return workspace
            return Unknown("terraform.workspace is chosen at run time (set TF_WORKSPACE to give it)")
        if name in ("count", "each", "self"):
            return Unknown(f"{name} is not available here")
        if (name, steps.peek()) in self.source.resources:
            resource_name = str(steps.take())
            return self.resources.value(name, resource_name)
        raise EvalError(f"reference to undeclared {name}")

    def _path(self, what: Any) -> str:
        """path.module relative to the root module's folder (where Terraform runs), as
        Terraform gives it; file() resolves against that folder too."""
        if what == "module":
            relative = os.path.relpath(self.source.dir, self.unit.root.dir)
            return relative.replace(os.sep, "/")
        return "."

    # Collecting -------------------------------------------------------------------------

    def all_resources(self) -> list[Resource]:
        resources: list[Resource] = []
        for (type_, name), decl in self.source.resources.items():
            resources.extend(self.resources.build(type_, name, decl))
        children = self.calls.children()
        for call in sorted(children):
            for _, child in children[call]:
                resources.extend(child.all_resources())
        return resources

    def all_instances(self) -> list[ModuleInstance]:
        """This instance and every module instance below it, calls in order."""
        found: list[ModuleInstance] = [self]
        children = self.calls.children()
        for call in sorted(children):
            for _, child in children[call]:
                found.extend(child.all_instances())
        return found

    def release(self) -> None:
        """Let go of everything, once the unit is built and nothing is evaluated any more.

        An instance and its parts refer to each other (the evaluator resolves names through the
        instance, the parts reach the instance, memoised values and resource objects close over
        the parts), so without this a unit's whole evaluation (and the parsed modules it holds)
        would wait for the garbage collector: about 400,000 objects at 10x the generated
        monorepo, kept until the build's end. Cleared, reference counting frees them now."""
        children = self.calls.children()
        for call in children:
            for _, child in children[call]:
                child.release()
        for part in (self.names, self.data, self.calls, self.resources, self.providers, self.blocks, self.evaluator, self.memo):
            vars(part).clear()
        vars(self).clear()

    def all_providers(self) -> list[ProviderConfig]:
        found = list(self.providers.own)
        children = self.calls.children()
        for call in sorted(children):
            for _, child in children[call]:
                found.extend(p for p in child.all_providers() if p not in found)
        return found
