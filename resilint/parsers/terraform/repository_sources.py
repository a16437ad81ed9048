"""A module source that names the repository the calling code is in: the examples of a module
repository call it by its registry address (`claranet/db-sql/azurerm` from the examples of
`terraform-azurerm-db-sql`) or by its git URL, and that code is on disk.

Which folder is that repository is never guessed; it is one of:

- an ancestor folder named like the repository (`terraform-azurerm-db-sql/`, as `git clone` names
  it), or `OWNER+NAME` with the source's owner (`claranet+terraform-azurerm-db-sql/`, the layout of
  mirrors that keep several owners' repositories side by side);
- the top of a git checkout (the first ancestor holding `.git`) whose remote URL names the
  repository (a clone into `src/` or `repo/`, as CI does);
- a module folder under any git checkout's top that exists with Terraform files
  (`//modules/postgresql`): a checkout's own submodule.

The registry's naming rule gives the repository of a registry address: `NAMESPACE/NAME/PROVIDER`
is published from the repository `terraform-PROVIDER-NAME` of the owner NAMESPACE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_REGISTRY_SOURCE = re.compile(
    r"^(?:[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?/)?([A-Za-z0-9][\w-]*)/([A-Za-z0-9][\w-]*)/([A-Za-z0-9]+)(?://(.*))?$"
)
_REMOTE_URL = re.compile(r"^\s*url\s*=\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class RepositorySource:
    """The repository a module source names (lower case), its owner when the source says it, and
    the folder inside it (`.` for its top)."""

    name: str
    owner: str | None
    folder: str


def repository_source(source: str) -> RepositorySource | None:
    """The repository a registry or git module source names:
    `terraform-aws-modules/vpc/aws//modules/vpc-endpoints` -> (`terraform-aws-vpc`,
    `terraform-aws-modules`, `modules/vpc-endpoints`); `git::https://github.com/org/infra.git//db?ref=v1`
    -> (`infra`, `org`, `db`). Archives and other sources name no repository."""
    text = source.strip().split("?", 1)[0]
    registry = _REGISTRY_SOURCE.match(text)
    if registry is not None and "::" not in text:
        namespace, name, provider, folder = registry.groups()
        return RepositorySource(f"terraform-{provider}-{name}".lower(), namespace.lower(), (folder or "").strip("/") or ".")
    if not text.startswith(("git::", "github.com/", "bitbucket.org/", "git@")):
        return None  # archives (s3::, gcs::, https://...zip) and other sources name no repository
    if "::" in text:
        text = text.split("::", 1)[1]
    rest = text.split("://", 1)[1] if "://" in text else text
    repository, _, folder = rest.partition("//")
    owner, name = _owner_and_name(repository)
    if name is None:
        return None
    return RepositorySource(name, owner, folder.strip("/") or ".")


def _owner_and_name(url: str) -> tuple[str | None, str | None]:
    """The last two path segments of a repository URL (`host/org/name.git`, `git@host:org/name`)."""
    segments = [s for s in re.split(r"[/:]", url.strip().rstrip("/")) if s]
    if not segments:
        return None, None
    name = segments[-1][:-4] if segments[-1].endswith(".git") else segments[-1]
    if not name or name in (".", ".."):
        return None, None
    owner = segments[-2].lower() if len(segments) >= 2 else None
    return owner, name.lower()


def checkout_folder(start: Path, wanted: RepositorySource) -> Path | None:
    """The folder on disk that holds the module `wanted` names, for code in `start`: see the
    module documentation. None when no ancestor is shown to be that repository."""
    for ancestor in start.parents:
        if _named_like(ancestor.name.lower(), wanted):
            return _inside(ancestor, wanted.folder, top_allowed=True)
        if (ancestor / ".git").exists():
            if wanted.name in _remote_names(ancestor / ".git"):
                return _inside(ancestor, wanted.folder, top_allowed=True)
            # A checkout of another repository, or one without a remote: a submodule
            # (`//modules/postgresql`) that exists with Terraform files is its own code; its
            # top is never taken for the module.
            return _inside(ancestor, wanted.folder, top_allowed=False)
    return None


def _named_like(folder_name: str, wanted: RepositorySource) -> bool:
    if folder_name == wanted.name:
        return True
    return wanted.owner is not None and folder_name == f"{wanted.owner}+{wanted.name}"


def _inside(top: Path, folder: str, top_allowed: bool) -> Path | None:
    target = (top / folder).resolve()
    if target == top.resolve():
        return target if top_allowed and target.is_dir() else None
    if top.resolve() not in target.parents:
        return None  # `//../elsewhere` leaves the repository
    if top_allowed:
        return target if target.is_dir() else None
    return target if _has_terraform(target) else None


def _has_terraform(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(p.name.endswith((".tf", ".tf.json")) for p in folder.iterdir())
    except OSError:
        return False


def _remote_names(git: Path) -> set[str]:
    """The repository names of a checkout's remotes (lower case), from its git configuration: a
    `.git` folder, or a `.git` file pointing at it (worktrees, submodules)."""
    config = _git_config(git)
    if config is None:
        return set()
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    names = set()
    for url in _REMOTE_URL.findall(text):
        _, name = _owner_and_name(url)
        if name is not None:
            names.add(name)
    return names


def _git_config(git: Path) -> Path | None:
    folder = git
    if git.is_file():
        try:
            first = git.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return None
        if not first.startswith("gitdir:"):
            return None
        folder = (git.parent / first.removeprefix("gitdir:").strip()).resolve()
        common = folder / "commondir"
        if common.is_file():
            try:
                folder = (folder / common.read_text(encoding="utf-8", errors="replace").strip()).resolve()
            except OSError:
                return None
    config = folder / "config"
    return config if config.is_file() else None
