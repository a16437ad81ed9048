"""Links between CloudFormation units: a StackSet and the local template it deploys, the stacks
of one CDK app, and a stack that imports what another exports. (Nested stacks are not links: a
template's nested stacks are read into its own unit.)"""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import STACK_NAME_PATTERN, Link, Project, Unit, split_import_ref


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
                for target in by_name.get(name, ()) if name is not None else ():
                    if target.id == unit.id or (target.id, name or "") in seen:
                        continue
                    seen.add((target.id, name or ""))
                    yield Link(
                        kind="import-value",
                        source=unit.id,
                        target=target.id,
                        reason=f"{resource.address} imports {_shown(name or '')}, which {target.id} exports",
                        location=resource.location,
                    )


def stack_set_links(project: Project) -> Iterator[Link]:
    """The stack that manages a StackSet is linked to the template the StackSet deploys by a local
    `TemplateURL` (read in the StackSet's regions: `Unit.deployed_by`)."""
    by_id = {u.id: u for u in project.units if u.source == "cloudformation"}
    for unit in by_id.values():
        for stack_set in unit.of_type("AWS::CloudFormation::StackSet"):
            child = by_id.get(str(stack_set.meta.get("TemplateFile")))
            if child is None or child.deployed_by != f"StackSet {stack_set.address} ({unit.id})":
                continue
            regions = ", ".join(child.deploy_regions)
            yield Link(
                kind="stack-set",
                source=unit.id,
                target=child.id,
                reason=f"StackSet {stack_set.address} deploys {child.id} to {regions}",
                location=stack_set.location,
            )


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
