"""What deciding roots needs of Terragrunt configurations, without importing the Terragrunt
reader (a scan without terragrunt.hcl never imports it): which are units, the module folders
they use, and which units read the outputs of which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from resilint.paths import display_path


@dataclass(frozen=True)
class ConfigOutline:
    folder: Path
    unit: bool  # the configuration is a unit: it names a source, or Terraform files sit beside it
    module_dir: Path | None  # the local module folder it uses: not a root of its own
    depends_on: frozenset[str]  # display paths of the units whose outputs it reads


def unit_folders(outlines: Sequence[ConfigOutline]) -> list[Path]:
    """Folders whose configuration is a unit, in the order given."""
    return [o.folder for o in outlines if o.unit]


def module_folders(outlines: Sequence[ConfigOutline]) -> set[Path]:
    """Local module folders the units use: not roots of their own."""
    return {o.module_dir for o in outlines if o.unit and o.module_dir is not None}


def depends_on(outlines: Sequence[ConfigOutline]) -> dict[str, set[str]]:
    """Per unit id, the ids of the units whose outputs it reads, directly or through others."""
    direct = {display_path(o.folder): set(o.depends_on) for o in outlines if o.unit}
    closed: dict[str, set[str]] = {}
    for unit_id in direct:
        seen: set[str] = set()
        pending = list(direct[unit_id])
        while pending:
            other = pending.pop()
            if other not in seen and other != unit_id:
                seen.add(other)
                pending.extend(direct.get(other, ()))
        closed[unit_id] = seen
    return closed
