"""Links between CloudFormation units: a StackSet and the local template it deploys, the stacks
of one CDK app, and a stack that imports what another exports; and a stack's nested stacks,
which are read into its own unit (their links join no units: they show where its resources come
from and with which parameter values)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from resilint.model import (
    STACK_NAME_PATTERN,
    Link,
    Project,
    Unit,
    Unknown,
    spelled,
    split_import_ref,
    stack_instance_regions,
)


def exporters(project: Project) -> dict[str, list[Unit]]:
    """The stacks that export each name (exports are unique in a region and account, so two
    stacks of the scan exporting one name are alternatives, and both are kept). A name made of
    the stack's own name (`*-Bucket`) is matched only when one stack of the scan exports it: the
    importer names that stack by a parameter given at deploy time."""
    found: dict[str, list[Unit]] = {}
    for unit in project.units:
        for name in unit.exports:
            found.setdefault(name, []).append(unit)
    return {name: units for name, units in found.items() if not name.startswith(STACK_NAME_PATTERN) or len(units) == 1}


# What CloudFormation accepts as a stack name.
_STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")


def export_named(name: str, by_export: dict[str, list[Unit]]) -> tuple[str, list[Unit]] | None:
    """The export an `Fn::ImportValue` name reads, and the stacks of the scan that export it.
    A name that is known whole (`network-prod-VpcId`, from a literal, a parameter's default or a
    given value) reads an export of that name, else an export made of the exporter's own stack
    name (`${AWS::StackName}-VpcId`) whose prefix it fills with a stack name, when exactly one
    such export fits; None when no stack of the scan (or more than one pattern) fits."""
    if name in by_export:
        return name, by_export[name]
    if name.startswith(STACK_NAME_PATTERN):
        return None
    fitting = [
        pattern
        for pattern in by_export
        if pattern.startswith(STACK_NAME_PATTERN)
        and len(pattern) > len(STACK_NAME_PATTERN)
        and name.endswith(pattern[len(STACK_NAME_PATTERN) :])
        and _STACK_NAME.fullmatch(name[: len(name) - len(pattern) + len(STACK_NAME_PATTERN)])
    ]
    if len(fitting) != 1:
        return None
    return fitting[0], by_export[fitting[0]]


def _shown(name: str) -> str:
    return f"<stack name>{name[len(STACK_NAME_PATTERN):]}" if name.startswith(STACK_NAME_PATTERN) else name


def import_value_links(project: Project) -> Iterator[Link]:
    """A stack whose `Fn::ImportValue` names an export of another stack of the scan is linked to
    it: an import reads a value the other stack exports in the same region and account, so the
    two are deployed together, in one region."""
    by_name = exporters(project)
    if not by_name:
        return
    for unit in project.units:
        seen: set[tuple[str, str]] = set()
        for resource in unit.resources:
            for ref in resource.references:
                name = split_import_ref(ref.target)
                found = export_named(name, by_name) if name is not None else None
                if found is None:
                    continue
                exported, targets = found
                for target in targets:
                    if target.id == unit.id or (target.id, exported) in seen:
                        continue
                    seen.add((target.id, exported))
                    what = _shown(exported) if name == exported else f"{name} ({_shown(exported)})"
                    yield Link(
                        kind="import-value",
                        source=unit.id,
                        target=target.id,
                        reason=f"{resource.address} imports {what}, which {target.id} exports",
                        location=resource.location,
                    )


def stack_set_links(project: Project) -> Iterator[Link]:
    """The stack that manages a StackSet is linked to the template the StackSet deploys by a local
    `TemplateURL` (read in the StackSet's regions: `Unit.deployed_by`), with the regions and the
    parameter values the StackSet gives; when its regions are not all known, the link says so
    (the template may be deployed anywhere)."""
    by_id = {u.id: u for u in project.units if u.source == "cloudformation"}
    for unit in by_id.values():
        for stack_set in unit.of_type("AWS::CloudFormation::StackSet"):
            child = by_id.get(str(stack_set.meta.get("TemplateFile")))
            if child is None or child.id == unit.id:
                continue
            regions = stack_instance_regions(stack_set.attributes.get("StackInstancesGroup"))
            where = f"to {', '.join(regions)}" if regions else "to regions not known here (StackInstancesGroup)"
            passed = stack_set.attributes.get("Parameters")
            values = {
                str(p["ParameterKey"]): p.get("ParameterValue")
                for p in (passed if isinstance(passed, list) else [])
                if isinstance(p, dict) and isinstance(p.get("ParameterKey"), str)
            }
            yield Link(
                kind="stack-set",
                source=unit.id,
                target=child.id,
                reason=f"StackSet {stack_set.address} deploys {child.id} {where}{_with_parameters(values) if values else ''}",
                location=stack_set.location,
            )


def nested_stack_links(project: Project) -> Iterator[Link]:
    """A stack and each stack it nests by a local `TemplateURL` (read into the stack's own unit,
    with the parameter values the parent passes): shown so a user sees which template each
    resource came from and with which values. The link's source is the template holding the
    `AWS::CloudFormation::Stack` (a nested stack's own nested stacks are linked from it)."""
    for unit in project.units:
        if unit.source != "cloudformation":
            continue
        for stack in unit.of_type("AWS::CloudFormation::Stack"):
            child = stack.meta.get("TemplateFile")
            if not isinstance(child, str) or stack.location is None:
                continue
            url = stack.attributes.get("TemplateURL")
            passed = stack.attributes.get("Parameters")
            written = url if isinstance(url, str) else spelled(url) or child
            matched = stack.meta.get("TemplateMatch")
            if isinstance(matched, str):
                written = f"{written} ({matched})"  # an S3 URL: which local file it names, and why
            metadata = stack.meta.get("Metadata")
            sam = isinstance(metadata, dict) and metadata.get("SamType") == "AWS::Serverless::Application"
            # SAM's application names its template by Location (SAM writes it as the TemplateURL).
            what, where = ("application", "Location") if sam else ("stack", "TemplateURL")
            yield Link(
                kind="nested-stack",
                source=stack.location.path,
                target=child,
                reason=f"{what} {stack.address} reads its template from {where} {written}"
                f"{_with_parameters(passed if isinstance(passed, dict) else {})}",
                location=stack.location,
            )


def _with_parameters(values: dict[str, Any]) -> str:
    """` and passes A=x, B=(known at deploy time)` for a link's reason."""
    if not values:
        return " and passes no parameters"
    shown = ", ".join(f"{name}={_shown_value(value)}" for name, value in sorted(values.items()))
    return f" and passes {shown}"


def _shown_value(value: Any) -> str:
    if isinstance(value, Unknown):
        return "(known at deploy time)"
    if isinstance(value, list):
        return ",".join(_shown_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def cdk_app_links(project: Project) -> Iterator[Link]:
    """The stacks one CDK cloud assembly lists are one app, deployed together (`cdk deploy`):
    each is linked to the first."""
    apps: dict[str, list[Unit]] = {}
    for unit in project.units:
        if unit.app is not None:
            apps.setdefault(unit.app, []).append(unit)
    for app, stacks in sorted(apps.items()):
        first, *others = sorted(stacks, key=lambda u: u.id)
        for other in others:
            yield Link(
                kind="deployment-config",
                source=other.id,
                target=first.id,
                reason=f"stacks of one CDK app: {app} lists both",
            )
