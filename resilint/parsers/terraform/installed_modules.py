"""Modules downloaded by `terraform init`: where `.terraform/modules/modules.json` put them."""

from __future__ import annotations

import json
from pathlib import Path


class InstalledModules:
    """`.terraform/modules/modules.json`, written by `terraform init`: where each registry or
    git module of a root was downloaded, by call path (`vpc`, `app.vpc`)."""

    def __init__(self, root: Path, data_dir: str) -> None:
        self.root = root
        self.base = root / data_dir
        self._dirs: dict[str, Path] | None = None

    def dirs(self) -> dict[str, Path]:
        if self._dirs is None:
            self._dirs = {}
            manifest = self.base / "modules" / "modules.json"
            try:
                data = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
            except (OSError, ValueError, RecursionError):
                data = {}
            entries = data.get("Modules") if isinstance(data, dict) else None
            inside = self.root.resolve()
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                    folder = (self.root / entry["Dir"]).resolve()
                    if folder == inside or inside in folder.parents:  # never read outside the root
                        self._dirs[entry["Key"]] = folder
        return self._dirs

    def present(self) -> bool:
        return bool(self.dirs())
