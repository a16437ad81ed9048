"""What every module instance of one unit shares: its budget, tracer, notes and module cache."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from resilint.model import Location, Note, ProviderConfig
from resilint.parsers.terraform.evaluate import StepPool
from resilint.parsers.terraform.folders import FolderCache
from resilint.parsers.terraform.installed_modules import InstalledModules
from resilint.parsers.terraform.outside import NothingOutside, OutsideValues
from resilint.parsers.terraform.references import Tracer
from resilint.parsers.terraform.source import ModuleSource

MAX_UNIT_MODULES = 1_000  # module instances per unit
MAX_UNIT_RESOURCES = 50_000  # resource instances per unit
MAX_NAMED_CALLS = 5  # module calls named in the note about modules that are not downloaded


@dataclass
class Budget:
    """Work one unit may cause: modules called in loops can multiply without limit."""

    modules: int = MAX_UNIT_MODULES
    resources: int = MAX_UNIT_RESOURCES
    exhausted: bool = False
    steps: StepPool = field(default_factory=StepPool)  # expression steps of all its instances

    def take(self, kind: str, amount: int) -> bool:
        left = getattr(self, kind) - amount
        if left < 0:
            return False
        setattr(self, kind, left)
        return True


@dataclass
class UnitContext:
    """What every module instance of one unit shares."""

    id: str
    root: ModuleSource
    cache: FolderCache
    environment: Mapping[str, str]
    functions: Mapping[str, Callable[..., Any]]
    outside: OutsideValues = field(default_factory=NothingOutside)
    notes: list[Note] = field(default_factory=list)
    budget: Budget = field(default_factory=Budget)
    tracer: Tracer = field(default_factory=Tracer)
    # Module calls whose source is not local and not downloaded: (call address, source, where)
    remote: list[tuple[str, str, Location]] = field(default_factory=list)
    # The zone a Google provider configuration sets (the model's ProviderConfig has a region only)
    provider_zones: dict[ProviderConfig, Any] = field(default_factory=dict)
    _installed: InstalledModules | None = None

    @property
    def installed(self) -> InstalledModules:
        if self._installed is None:
            self._installed = InstalledModules(self.root.dir, self.environment.get("TF_DATA_DIR") or ".terraform")
        return self._installed

    def note(self, message: str, location: Location) -> None:
        self.notes.append(Note(message=message, location=location))

    def note_remote_modules(self) -> None:
        """One note for every module the scan could not read: one cause, one fix."""
        if not self.remote:
            return
        calls = list(dict.fromkeys(address for address, _, _ in self.remote))
        sources = {address: source for address, source, _ in self.remote}
        named = ", ".join(f"{a} ({sources[a]})" for a in calls[:MAX_NAMED_CALLS])
        if len(calls) > MAX_NAMED_CALLS:
            named += f" and {len(calls) - MAX_NAMED_CALLS} more"
        one = len(calls) == 1
        subject = "1 module call uses a" if one else f"{len(calls)} module calls use a"
        them, its = ("it", "Its") if one else ("them", "Their")
        if self.installed.present():
            fix = f"run `terraform init` again in {self.root.display} so .terraform/modules holds {them}"
        else:
            fix = f"run `terraform init` in {self.root.display} so resilint can read {them} from .terraform/modules"
        message = (
            f"{subject} registry or git source that resilint does not download: {named}. {its} "
            f"resources are not checked and {its.lower()} outputs are unknown; {fix}, or scan a plan "
            "(terraform show -json)"
        )
        self.note(message, self.remote[0][2])
