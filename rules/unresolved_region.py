"""RES102 unresolved-region."""

from __future__ import annotations

import re
from collections.abc import Iterator

from resilint.families.deployment import is_stack
from resilint.model import Location, Project, Resource, Unit, Unknown
from resilint.relations.placement import describe, region_of, unit_name
from resilint.rule import Severity, Violation, rule

_PLAN_HINT = "or scan a plan (terraform plan -out plan.out && terraform show -json plan.out > plan.json)"


@rule(
    id="RES102",
    name="unresolved-region",
    severity=Severity.NOTE,
    summary="The region of some resources could not be resolved",
    fix=f"Give the region a value resilint can read: --var, --var-file, {_PLAN_HINT}",
    tags=("region",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Says where resilint could not see enough of a Terraform deployment unit to judge it:

    - resources whose region is not known, grouped by cause, on the provider block (or the
      resource) that leaves it open: a `region = var.region` with no value, a provider with no
      `region` (it comes from the environment at run time), a module called without the
      provider configuration it needs, an Azure `location` from a variable without a value.
      The finding names the variable and how to supply it.
    - everything else the parser could not do for the unit, one finding each, where it
      happened: a registry or git module it cannot fetch offline (its resources are not
      checked), a module folder without Terraform files, modules nested too deeply.

    The region rules (RES101, RES103) stay silent on what is unknown; this note is how you
    learn that they did. A CloudFormation stack's region is chosen when it is deployed, which
    is normal and covered by RES101, so stacks get no RES102 for it.

    ## Why is this bad?
    A check that cannot see a value cannot vouch for it: a unit whose region comes from a
    variable with no value may run in one region or in five, and resources in a module that
    was not read are not checked at all. Supplying the value turns silence into an answer.

    ## Example
    ```hcl
    variable "region" {
      type = string
    }

    provider "aws" {
      region = var.region
    }
    ```

    Use instead:
    ```console
    $ resilint scan --var region=eu-west-1 infra/
    $ resilint scan --var-file infra/prod.tfvars infra/
    ```
    or give the variable a default, or scan the plan:
    `terraform show -json plan.out > plan.json && resilint scan plan.json`.

    ## References
    - https://developer.hashicorp.com/terraform/language/values/variables#assigning-values-to-root-module-variables
    - https://developer.hashicorp.com/terraform/internals/json-format
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs#region
    """
    for note in unit.notes:
        yield Violation(note.message, at=note.location, fix=_note_fix(note.message))
    if is_stack(unit):
        return
    # One finding per cause: values computed from the same unknown (a resource group's
    # location that comes from var.location) share its reason.
    groups: dict[str, list[Resource]] = {}
    for resource in unit.resources:
        region = region_of(resource)
        if isinstance(region, Unknown):
            groups.setdefault(region.reason, []).append(resource)
    for reason, resources in groups.items():
        count = f"{len(resources)} resources" if len(resources) > 1 else "1 resource"
        message = (
            f"the region of {count} of {unit_name(unit.id)} ({describe(r.address for r in resources)}) "
            f"is not known: {reason}"
        )
        yield Violation(message, at=_anchor(unit, reason, resources), fix=_fix(reason))


def _anchor(unit: Unit, reason: str, resources: list[Resource]) -> Location | Resource:
    """The provider block whose region is unknown; the first resource otherwise."""
    for provider in unit.providers:
        if provider.location is not None and isinstance(provider.region, Unknown) and provider.region.reason == reason:
            return provider.location
    return resources[0]


def _fix(reason: str) -> str:
    variables = sorted(set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", reason)))
    if variables:
        name = variables[0]
        return (
            f"Give var.{name} a value: resilint scan --var {name}=<value>, --var-file with a .tfvars "
            f"file that sets it, a default in its variable block, {_PLAN_HINT}"
        )
    missing = re.match(r'no provider "([^"]+)" (block is declared|configuration is declared|configuration reaches)', reason)
    if missing is not None and "pass it with providers" in reason:
        return (
            "Scan the root module that calls this code (it passes the provider configurations), "
            "or pass them with providers = { ... } on the module call"
        )
    if missing is not None:
        local, _, alias = missing.group(1).partition(".")
        block = f'provider "{local}" {{ alias = "{alias}", region = ... }}' if alias else f'provider "{local}" {{ region = ... }}'
        inherited = "" if alias else " (module calls inherit its default configurations)"
        return (
            f"Declare {block} in the root module{inherited}; if another root or a Terragrunt generate block "
            f"supplies it, scan that root, {_PLAN_HINT}"
        )
    if "environment" in reason:
        return f"Set region in the provider block (a variable with a value works too), {_PLAN_HINT}"
    return f"Give the value resilint could not read a literal or a variable with a value, {_PLAN_HINT}"


def _note_fix(message: str) -> str:
    if "not a local path" in message or "registry" in message:
        return (
            "Run terraform init so that resilint reads the modules from .terraform/modules, vendor "
            "them into the repository, or scan a plan, which includes every module's resources: "
            "terraform show -json plan.out > plan.json"
        )
    return f"Check the module call; {_PLAN_HINT.replace('or scan', 'scanning')} shows every resource"
