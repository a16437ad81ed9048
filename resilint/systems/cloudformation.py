"""Links between CloudFormation units: a StackSet and the local template it deploys, and the
stacks of one CDK app. (Nested stacks are not links: a template's nested stacks are read into
its own unit.)"""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Link, Project, Unit


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
