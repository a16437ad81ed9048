from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Paths in findings are relative to the working directory: run every test from the repo
    root so they read the same as a user's `resilint scan fixtures/...`. The parse cache of a
    test session is its own: entries written by another checkout of resilint are never read."""
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "resilint-cache"))
    for name in ("CI", "GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name in list(__import__("os").environ):
        if name.startswith("TF_VAR_") or (name.startswith("RESILINT_") and name != "RESILINT_CACHE_DIR"):
            monkeypatch.delenv(name)


@pytest.fixture
def repo() -> Path:
    return REPO


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
