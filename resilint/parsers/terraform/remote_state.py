"""Other roots' outputs, read through `terraform_remote_state` and `tfe_outputs`.

A root that reads a state whose address (`state.py`) is the backend of another root of the scan
gets that root's outputs as values: `data.terraform_remote_state.dr.outputs.bucket_arn` is what
the DR root's `bucket_arn` output evaluates to. What is unknown in it is unknown because of the
other root's resources, so its references name them as `foreign_ref`s (`@infra/dr//aws_s3_bucket.
replica`), which `Unit.resolve` follows into that unit once the systems step has run: a failover
record or a replication destination resolves to the other unit's resource, with its region and
type. A state no root of the scan has, or two roots have, stays unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from resilint.model import Backend, Unknown, UnknownAttribute, UnknownList, foreign_ref
from resilint.parsers.terraform.evaluate import MISSING, finalize
from resilint.parsers.terraform.outside import DataSourceRead
from resilint.parsers.terraform.source import ModuleSource
from resilint.parsers.terraform.state import state_address
from resilint.paths import display_path
from resilint.state_match import known_parts, partial_match

STATE_DATA_SOURCES = ("terraform_remote_state", "tfe_outputs")

# Builds a root's outputs (name -> value), reading other states through the given source.
OutputsOf = Callable[[ModuleSource, "RemoteStates"], Mapping[str, Any]]


class RemoteStates:
    """An `OutsideValues` that knows the outputs of the scan's roots by their state address.
    Roots are named by folder and parsed (through `module_of`) only when a read needs one, so
    a process that builds some roots parses only the roots those read."""

    def __init__(
        self,
        roots_by_state: Mapping[str, list[Path]],
        outputs_of: OutputsOf,
        backends: Sequence[tuple[Path, Backend]] = (),
        module_of: Callable[[Path], ModuleSource | None] = lambda folder: None,
    ) -> None:
        self._roots = roots_by_state
        self._backends = backends  # every root's backend, for reads known only in part
        self._outputs_of = outputs_of
        self._module_of = module_of
        self._outputs: dict[str, Mapping[str, Any] | None] = {}
        self._building: set[str] = set()

    def data_source(self, read: DataSourceRead) -> Any:
        if read.type not in STATE_DATA_SOURCES:
            return MISSING
        address = _address(read)
        targets = self._roots.get(address, []) if address is not None else self._by_known_parts(read)
        if len(targets) != 1 or display_path(targets[0]) == read.unit:
            return MISSING
        target = display_path(targets[0])
        outputs = self._outputs_from(targets[0])
        if outputs is None:
            return MISSING
        values = {name: as_foreign(value, target) for name, value in outputs.items()}
        reason = f"{read.address} is read at apply time"
        if read.type == "tfe_outputs":
            return {"values": values, "nonsensitive_values": values, "id": Unknown(reason)}
        return {"outputs": values, "backend": read.arguments().get("backend"), "id": Unknown(reason)}

    def _by_known_parts(self, read: DataSourceRead) -> list[Path]:
        """The roots whose backend the read's known parts match (state_match.py): the reader
        is given the outputs of the one it matches, as the systems step links the two."""
        if read.type != "terraform_remote_state":
            return []
        arguments = read.arguments()
        kind, config = arguments.get("backend"), arguments.get("config", {})
        if not isinstance(kind, str) or not isinstance(config, dict):
            return []
        parts = known_parts(kind, {**config, "workspace": arguments.get("workspace", "default")})
        if not parts:
            return []
        return [
            folder
            for folder, backend in self._backends
            if display_path(folder) != read.unit and partial_match(kind, parts, backend, folder) is not None
        ]

    def _outputs_from(self, folder: Path) -> Mapping[str, Any] | None:
        key = display_path(folder)
        if key not in self._outputs:
            if key in self._building:
                return None  # roots that read each other's state: the cycle stays unknown
            self._building.add(key)
            try:
                target = self._module_of(folder)
                self._outputs[key] = self._outputs_of(target, self) if target is not None else None
            except Exception:  # the other root's own unit reports its problem; here it is unknown
                self._outputs[key] = None
            finally:
                self._building.discard(key)
        return self._outputs[key]


def _address(read: DataSourceRead) -> str | None:
    arguments = read.arguments()
    base = Path(read.unit).resolve()  # relative paths start where Terraform runs: the root's folder
    if read.type == "tfe_outputs":
        config = {"organization": arguments.get("organization"), "workspaces": {"name": arguments.get("workspace")}}
        return state_address("remote", config, base)
    kind = arguments.get("backend")
    config = arguments.get("config", {})
    if not isinstance(kind, str) or not isinstance(config, dict):
        return None
    if "workspace" in arguments:
        config = {**config, "workspace": arguments["workspace"]}
    return state_address(kind, config, base)


def as_foreign(value: Any, unit_id: str) -> Any:
    """A value of another unit as the reader sees it: its unknowns come from that unit's
    resources."""
    value = finalize(value)
    if isinstance(value, UnknownList):
        return UnknownList(value.reason, tuple(as_foreign(part, unit_id) for part in value.parts))
    if isinstance(value, Unknown):
        refs = tuple(foreign_ref(unit_id, ref) if not ref.startswith("@") else ref for ref in value.refs)
        if isinstance(value, UnknownAttribute):  # still that resource's attribute, named in its unit
            address = value.address if value.address.startswith("@") else foreign_ref(unit_id, value.address)
            return UnknownAttribute(value.reason, refs, address, value.attribute)
        return Unknown(value.reason, refs)  # an input or a text of the other unit is not this one's
    if isinstance(value, dict):
        return {k: as_foreign(v, unit_id) for k, v in value.items()}
    if isinstance(value, list):
        return [as_foreign(v, unit_id) for v in value]
    return value
