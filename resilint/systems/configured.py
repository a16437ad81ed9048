"""Systems declared in configuration: `[[systems]]` with a name, unit globs and regions, for
what the code cannot show (a pipeline that deploys several roots or stacks together)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resilint.model import Link


@dataclass(frozen=True)
class ConfiguredSystem:
    name: str
    units: tuple[str, ...]  # globs, relative to the configuration file's folder
    regions: tuple[str, ...] = ()


def matching_units(system: ConfiguredSystem, unit_ids: Iterable[str], config_root: Path | None) -> list[str]:
    """The units (by id) one of the system's globs matches: the id relative to the configuration
    folder, or the id as shown (relative to the working directory)."""
    found = []
    for unit_id in unit_ids:
        names = {unit_id, unit_id.rstrip("/")}
        if config_root is not None:
            try:
                names.add(Path(unit_id).resolve().relative_to(config_root.resolve()).as_posix())
            except ValueError:
                pass
        if any(fnmatch.fnmatchcase(name, glob.rstrip("/")) for name in names for glob in system.units):
            found.append(unit_id)
    return sorted(found)


def configured_links(system: ConfiguredSystem, members: Sequence[str]) -> list[Link]:
    """Each member linked to the first, with the configuration as the reason."""
    if not members:
        return []
    first = members[0]
    regions = f" in {', '.join(system.regions)}" if system.regions else ""
    return [
        Link(kind="configured", source=unit_id, target=first, reason=f"configuration declares system {system.name!r}{regions}")
        for unit_id in members[1:]
    ] or [Link(kind="configured", source=first, target=first, reason=f"configuration declares system {system.name!r}{regions}")]
