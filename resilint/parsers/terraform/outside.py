"""Values a unit reads from outside itself: the seam where other units and tools plug in.

A Terraform configuration reads some values that neither its own files nor its variables decide:
a `terraform_remote_state` data source reads another unit's outputs, a Terragrunt `dependency`
block gives another unit's outputs as inputs. Whatever knows such values (another unit of the
same scan, a state file) implements `OutsideValues` and is handed to the loader in
`TerraformOptions.outside`. The loader asks it about every data source before deciding the data
source's value itself; what it does not know it answers with `MISSING`, and the loader goes on as
if it had not been asked (a data source is read at apply time: unknown).

Whoever adds a source of outside values also makes the unit's cache key cover what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from resilint.model import Location
from resilint.parsers.terraform.evaluate import MISSING


@dataclass(frozen=True)
class DataSourceRead:
    """One data source instance a unit reads, as an `OutsideValues` sees it."""

    unit: str  # the unit's id (its root module's folder)
    module: str  # the module instance's address prefix: "" for the root, "module.net." in a module
    type: str  # "terraform_remote_state"
    name: str  # "network"
    location: Location  # the data block (or the module call, for a downloaded module)
    # The data block's arguments, evaluated in the module instance when called (`backend`,
    # `config` of a remote state); unresolved ones are `Unknown`.
    arguments: Callable[[], dict[str, Any]]

    @property
    def address(self) -> str:
        return f"{self.module}data.{self.type}.{self.name}"


class OutsideValues(Protocol):
    def data_source(self, read: DataSourceRead) -> Any:
        """The data source's value: a dict of its attributes (or a value that reads like one),
        or `MISSING` when this source does not know it."""
        ...


class NothingOutside:
    """No values from outside the unit: every data source is decided by the unit alone."""

    def data_source(self, read: DataSourceRead) -> Any:
        return MISSING
