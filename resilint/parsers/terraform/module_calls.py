"""A module instance's `module` calls: where each called module's code is (a local folder, a
`terraform init` download, the module repository's own checkout), its instances, and
`module.NAME` as the caller reads it (the child's outputs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resilint.model import Location, Unknown
from resilint.parsers.terraform.addresses import key_suffix, without_keys
from resilint.parsers.terraform.evaluate import EvalError, ResourceObject, unknown_from
from resilint.parsers.terraform.instances import Instances, instance_names
from resilint.parsers.terraform.provenance import at, module_argument
from resilint.parsers.terraform.source import Decl, ModuleSource, literal
from resilint.parsers.terraform.unit_context import MAX_UNIT_MODULES
from resilint.paths import display_path

if TYPE_CHECKING:
    from resilint.parsers.terraform.module_instance import ModuleInstance

MAX_MODULE_DEPTH = 16
MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


class ModuleCalls:
    def __init__(self, instance: ModuleInstance) -> None:
        self._instance = instance
        self._children: dict[str, list[tuple[Any, ModuleInstance]]] | None = None

    def instances(self, call: str) -> Instances:
        instance = self._instance
        body = instance.source.modules[call].block.body
        return instance.instances_of(body, f"{instance.prefix}module.{call}")

    def children(self) -> dict[str, list[tuple[Any, ModuleInstance]]]:
        """Each call's instances, by call name: (instance key, the module instance)."""
        if self._children is None:
            self._children = {}
            self._instance.unit.tracer.isolated(self._make_children)
        return self._children

    def value(self, call: str) -> Any:
        """`module.NAME`: an object of the child's outputs (a list or map of them with count or
        for_each)."""
        instance = self._instance
        children = self.children().get(call)
        address = f"{instance.prefix}module.{call}"
        if children is None:
            decl = instance.source.modules.get(call)
            if decl is None:
                raise EvalError(f"module.{call} is not declared")
            return Unknown(f"outputs of {address} are not known (module source not loaded)", ())
        instances = self.instances(call)
        if instances.unknown is not None:
            return unknown_from(instances.unknown, reason=f"instances of {address} are not known")
        objects = {key: _outputs_object(child) for key, child in children}
        if instances.keys is None:
            return objects[None]
        if instances.values:
            return objects
        return [objects[k] for k in instances.keys]

    def _make_children(self) -> None:
        assert self._children is not None
        instance = self._instance
        unit = instance.unit
        local_sources = instance.source.local_module_sources()
        for call, decl in instance.source.modules.items():
            address = f"{instance.prefix}module.{call}"
            found = self._module_folder(call, decl, local_sources.get(call))
            if found is None:
                continue
            folder, anchor = found
            if folder in instance.stack or len(instance.stack) >= MAX_MODULE_DEPTH:
                why = "calls itself through a cycle of module calls" if folder in instance.stack else f"is nested more than {MAX_MODULE_DEPTH} modules deep"
                unit.note(f"{without_keys(address)} {why}, so it is not expanded and its resources are not checked", instance.location(decl))
                continue
            module = unit.cache.folder(folder, quiet=anchor is not None)
            if module is None or not module.files:
                where = display_path(folder)
                unit.note(f"{address}: module folder {where} has no Terraform files; nothing in it is checked", instance.location(decl))
                continue
            if anchor is not None:
                self._note_broken_download(address, folder, anchor)
            instances = self.instances(call)
            keys: list[Any] = [None] if instances.keys is None else instances.keys
            if not unit.budget.take("modules", len(keys)):
                instance.over_budget(decl, f"more than {MAX_UNIT_MODULES} module instances")
                continue
            made = []
            for key in keys:
                names = instance_names(key, instances)
                made.append((key, self._child(call, decl, module, key, names, instances.unknown, anchor)))
            self._children[call] = made

    def _module_folder(self, call: str, decl: Decl, local: Path | None) -> tuple[Path, Location | None] | None:
        """Where a module call's code is: a local folder, or the folder `terraform init`
        downloaded it to (then located at the call), or None (noted)."""
        instance = self._instance
        if local is not None:
            return local, instance.anchor
        source = literal(decl.block.body, "source")
        key = ".".join(instance.call_path + (call,))
        downloaded = instance.unit.installed.dirs().get(key)
        if downloaded is not None and downloaded.is_dir():
            return downloaded, instance.anchor if instance.anchor is not None else decl.location()
        checkout = instance.source.repository_module_sources().get(call)
        if checkout is not None:  # the module repository's own code, called by its examples
            return checkout, instance.anchor
        address = f"{instance.prefix}module.{call}"
        shown = source if isinstance(source, str) else "a computed source"
        instance.unit.remote.append((without_keys(address), shown, instance.location(decl)))
        return None

    def _note_broken_download(self, address: str, folder: Path, anchor: Location) -> None:
        unit = self._instance.unit
        problems = unit.cache.quiet_problems.get(folder)
        if problems:
            first = problems[0]
            unit.note(
                f"{without_keys(address)}: the downloaded module in {display_path(folder)} does not parse "
                f"({first.location.path}:{first.location.line}: {first.message}); the resources of that file are not checked",
                anchor,
            )

    def _child(
        self,
        call: str,
        decl: Decl,
        module: ModuleSource,
        key: Any,
        names: Mapping[str, Any],
        unknown: Unknown | None,
        anchor: Location | None,
    ) -> ModuleInstance:
        from resilint.parsers.terraform.module_instance import ModuleInstance

        instance = self._instance
        body = decl.block.body
        inputs: dict[str, Callable[[], Any]] = {}
        for arg_name, attr in body.attributes.items():
            if arg_name in MODULE_META_ARGUMENTS:
                continue
            inputs[arg_name] = partial(instance.evaluator.evaluate, attr.expr, names)
        prefix = f"{instance.prefix}module.{call}{key_suffix(key)}."
        return ModuleInstance(
            instance.unit,
            source=module,
            prefix=prefix,
            inputs=inputs,
            inherited=instance.providers.passed(body, names),
            stack=instance.stack + (module.dir,),
            call_path=instance.call_path + (call,),
            call_sites=instance.call_sites + (decl.location(),),
            anchor=anchor,
            multiplicity=unknown if unknown is not None else instance.multiplicity,
            origins=_ArgumentOrigins(call, decl, inputs),
        )


class _ArgumentOrigins(Mapping[str, str]):
    """Where each argument of a module call is written ("argument multi_az of module.db at
    main.tf:7"), said only for the arguments a value ends up resting on."""

    def __init__(self, call: str, decl: Decl, arguments: Mapping[str, object]) -> None:
        self._call = call
        self._decl = decl
        self._arguments = arguments

    def __getitem__(self, name: str) -> str:
        if name not in self._arguments:
            raise KeyError(name)
        decl = self._decl
        line = None if name in decl.overridden else decl.block.body.attributes[name].pos.line  # else in an override file
        return module_argument(self._call, name, at(decl.file, line))

    def __contains__(self, name: object) -> bool:
        return name in self._arguments

    def __iter__(self) -> Iterator[str]:
        return iter(self._arguments)

    def __len__(self) -> int:
        return len(self._arguments)


def _outputs_object(child: ModuleInstance) -> ResourceObject:
    def lookup(name: str) -> Any:
        return child.names.output(name)

    return ResourceObject(child.prefix.rstrip("."), lookup)
