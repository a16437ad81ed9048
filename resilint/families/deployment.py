"""Deployment: how a unit is deployed (a CloudFormation stack, a Terraform root or a module
called from elsewhere) and StackSets, which deploy one template to several regions.

Kinds of `STACK_SETS`: `stack_set` (roles: `name`; CloudFormation's `instance_groups` and their
`regions`), `stack_set_instance` (roles: `stack_set`, the set's name; `region`, the current
spelling and the deprecated one).
"""

from __future__ import annotations

from resilint.families.base import CLOUDFORMATION, TERRAFORM, Family, cloudformation, terraform
from resilint.model import Resource, Unit

STACK_SETS = Family(
    "StackSet",
    (
        terraform("aws_cloudformation_stack_set", "stack_set", name="name"),
        cloudformation("AWS::CloudFormation::StackSet", "stack_set", instance_groups="StackInstancesGroup", regions="Regions"),
        terraform(
            "aws_cloudformation_stack_set_instance",
            "stack_set_instance",
            stack_set="stack_set_name",
            region=("stack_set_instance_region", "region"),
        ),
    ),
)

RESOURCE_GROUPS = Family("resource group", (terraform("azurerm_resource_group", "resource_group"),))

# The argument by which an azurerm resource names its resource group.
RESOURCE_GROUP_ARGUMENT = "resource_group_name"


def is_stack(item: Unit | Resource) -> bool:
    """Whether a unit (or a resource's unit) is a CloudFormation stack: one template, deployed
    to a region chosen at deploy time (or to the regions configuration declares)."""
    return item.source == CLOUDFORMATION


def is_called_module(unit: Unit) -> bool:
    """A Terraform unit (read from configuration, not a plan) that configures no provider: a
    module meant to be called from a root module, judged where it is called."""
    return unit.source == TERRAFORM and not unit.providers
