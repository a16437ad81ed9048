"""Discovery: which files under the given paths are Terraform, CloudFormation or plans."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resilint.excludes import Exclude, ExcludeMatcher
from resilint.model import Problem
from resilint.paths import display_path
from resilint.sources import FileKind, SourceFile, peek_text, problem, read_text

# Folders that hold tools' caches, dependencies or build output, never the user's own IaC.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".terraform",
        ".terragrunt-cache",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".serverless",
        ".aws-sam",
        "vendor",
        "site-packages",
    }
)

TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")  # OpenTofu reads both
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json", ".template")

_CFN_RESOURCES = re.compile(r"""^["']?Resources["']?\s*:|"Resources"\s*:""", re.MULTILINE)
_CFN_TYPE = re.compile(r"""\b(?:AWS|Custom|Alexa)::""")
_PLAN_MARKERS = (re.compile(r'"format_version"'), re.compile(r'"(?:planned_values|resource_changes)"'))
# terraform show -json writes these two first; planned_values may come megabytes later.
_PLAN_HEAD_MARKERS = (re.compile(r'"format_version"'), re.compile(r'"terraform_version"'))


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # the folders scanned (files: their folder)


def kind_by_name(name: str) -> FileKind | None:
    lower = name.lower()
    if lower.endswith(TERRAFORM_SUFFIXES):
        return "terraform"
    if lower.endswith(TFVARS_SUFFIXES):
        return "terraform-vars"
    if lower in ("terragrunt.hcl", "terragrunt.hcl.json"):
        return "terragrunt"
    return None


def sniff(text: str, name: str, partial: bool = False) -> FileKind | None:
    """What a YAML/JSON file is, from its content; None for anything else (CI configs,
    package.json, docker-compose...). Cheap and permissive: the parser has the last word.
    `partial`: `text` is only the beginning of the file. (Each pattern is tried only when the
    text holds a word it needs: most YAML of a large repository is no template.)"""
    if name.lower().endswith(".json") and '"format_version"' in text:
        markers = _PLAN_HEAD_MARKERS if partial else _PLAN_MARKERS
        if all(m.search(text) for m in markers):
            return "terraform-plan"
    if "AWSTemplateFormatVersion" in text:
        return "cloudformation"
    if "Resources" in text and "::" in text and _CFN_RESOURCES.search(text) and _CFN_TYPE.search(text):
        return "cloudformation"
    return None


def discover(
    paths: Sequence[Path],
    exclude: ExcludeMatcher | Sequence[Exclude | str] = (),
    max_file_bytes: int = 20 << 20,
    force_exclude: bool = False,
    walked: list[tuple[Path, list[str]]] | None = None,
) -> Discovery:
    """Files to scan under `paths`, in a stable order, each once (a Terraform file linked into
    several folders once per folder: see `_identity`; links out of the repository, or of the
    scanned tree outside any repository, are skipped). Excludes apply inside folders;
    to a file named in `paths` only with `force_exclude` (pre-commit names files one by one).
    `walked`, when given, receives every folder walked with the names it held (the file index
    watches them for files coming and going)."""
    found = Discovery()
    seen: set[str] = set()  # identities (`_identity`) as text: a Path hashes slowly
    matcher = exclude if isinstance(exclude, ExcludeMatcher) else ExcludeMatcher(exclude)
    reals = _RealPaths(os.getcwd())
    for given in paths:
        base = Path(os.path.abspath(given))
        if base.is_dir():
            found.roots.append(base)
            inside = _repository(_real(base))
            candidates: Iterable[tuple[Path, str]] = _walk(base, matcher, found.problems, walked)
        else:
            if force_exclude and matcher.excluded(base):
                continue
            found.roots.append(base.parent)
            inside = None  # a file named on the command line is scanned wherever it points
            candidates = [(base.parent, base.name)]
        for folder, name in candidates:
            path = folder / name
            real, regular = reals.file(path, folder, name)
            if real is None:
                kind = kind_by_name(name)
                if kind == "terraform-vars" and inside is not None and _dangling(path):
                    continue  # a values file the user writes before deploying: its values are unknown
                if kind is not None:
                    found.problems.append(problem(display_path(path), "symbolic link loop or dangling link"))
                continue
            if inside is not None and not _within(real, inside):
                continue  # a link out of the repository (or the scanned tree): not the user's code
            key = _identity(name, folder, real, reals)
            if key in seen:
                continue
            if not regular:
                if inside is None and kind_by_name(name) is not None:
                    found.problems.append(problem(display_path(path), "not a regular file"))
                continue  # named pipes, devices and sockets are never read (a pipe would block)
            seen.add(key)
            source = _classify(path, reals.display(folder, name), max_file_bytes, found.problems)
            if source is not None:
                found.files.append(source)
    found.files.sort(key=lambda f: f.display)
    return found


def _repository(folder: Path | None) -> Path | None:
    """Where links from a scanned folder may lead: the repository it is in (the nearest folder
    upwards holding `.git`), whose files are the user's code wherever the scan starts (a root's
    `variables.tf` linked to the repository's shared one, read when the scan names only that
    root), else the folder itself."""
    if folder is None:
        return None
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), folder)


def _within(text: str, folder: Path) -> bool:
    """`text` is `folder` or under it (both real paths): compared as text, as pathlib compares
    them, without building every parent of the path."""
    base = str(folder)
    return text == base or text.startswith(base if base.endswith(os.sep) else base + os.sep)


class _RealPaths:
    """Real paths of the files walked, resolving each folder once: a file that is not itself a
    link is its folder's real path and its name (one lstat, instead of resolving every part of
    its path, twice; `pathlib.resolve` was a tenth of a warm scan of a large repository).
    Folders are known by their text: a `Path` hashes slowly (a fifth of discovering 9,200 files)."""

    def __init__(self, cwd: str) -> None:
        self._folders: dict[str, tuple[Path | None, str | None]] = {}  # folder -> its real path, as a Path and as text
        self._displays: dict[str, str] = {}
        self._cwd = cwd

    def display(self, folder: Path, name: str) -> str:
        """`display_path(folder / name)`, with the folder's made once (a name from a folder
        listing never holds a separator or `..`)."""
        key = str(folder)
        shown = self._displays.get(key)
        if shown is None:
            shown = self._displays[key] = display_path(folder, self._cwd)
        return name if shown == "." else f"{shown}/{name}"

    def folder(self, folder: Path) -> tuple[Path | None, str | None]:
        """The folder's real path (None: gone, a loop), and its text."""
        key = str(folder)
        known = self._folders.get(key)
        if known is None:
            real = _real(folder)
            known = self._folders[key] = (real, str(real) if real is not None else None)
        return known

    def file(self, path: Path, folder: Path, name: str) -> tuple[str | None, bool]:
        """The file's real path as text (None: a dangling link, a loop, gone) and whether it is
        a regular file."""
        try:
            info = os.lstat(path)
        except OSError:
            return None, False
        if stat.S_ISLNK(info.st_mode):
            real = _real(path)
            return (str(real), _is_regular(real)) if real is not None else (None, False)
        real_folder = self.folder(folder)[1]
        if real_folder is None:
            return None, False
        return os.path.join(real_folder, name), stat.S_ISREG(info.st_mode)


def _identity(name: str, folder: Path, real: str, reals: _RealPaths) -> str:
    """What makes two paths one file to scan, as text. Terraform (and Terragrunt) read every
    file of a folder as part of that folder's module, a link to a shared `variables.tf`
    included, so such a file is one file per folder it is linked into: its folder's real path
    and its own name. A template or a plan is a stack or a plan wherever it is linked: its real
    path."""
    if kind_by_name(name) is None:
        return real
    real_folder = reals.folder(folder)[1]
    return real if real_folder is None else os.path.join(real_folder, name)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _dangling(path: Path) -> bool:
    """A link whose target does not exist (not a loop). Organisation repositories link each
    root's `*.auto.tfvars` to one shared file the user creates from an example before the first
    deployment (terraform-example-foundation's `common.auto.tfvars`): until then the values are
    not given, which is unknown, not a broken file. A loop is always broken."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return os.path.islink(path)
    except OSError:
        return False
    return False


def _real(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _walk(
    base: Path, matcher: ExcludeMatcher, problems: list[Problem], walked: list[tuple[Path, list[str]]] | None = None
) -> Iterable[tuple[Path, str]]:
    """Each file under `base` not excluded: its folder (one `Path` per folder) and its name."""

    def on_error(error: OSError) -> None:
        problems.append(problem(display_path(error.filename or base), f"cannot read folder: {error.strerror}"))

    # Folder symlinks are not followed: they are how loops and trees outside the repository
    # get in, and a linked folder is scanned where it really lives.
    for folder, dirs, files in os.walk(base, onerror=on_error, followlinks=False):
        here = Path(folder)
        if walked is not None:
            walked.append((here, sorted([*dirs, *files])))
        dirs[:] = sorted(
            d
            for d in dirs
            # excludes first: a pattern naming a folder skipped anyway has matched something
            if not (matcher and matcher.excluded(here / d))
            and d not in SKIPPED_DIRS
            and not (here.name == "cdk.out" and d.startswith("asset."))
        )
        for name in sorted(files):
            if not (matcher and matcher.excluded(here / name)):
                yield here, name


def _classify(path: Path, display: str, max_file_bytes: int, problems: list[Problem]) -> SourceFile | None:
    kind = kind_by_name(path.name)
    if kind is not None:
        return SourceFile(path=path, display=display, kind=kind)
    if not path.name.lower().endswith(STRUCTURED_SUFFIXES):
        return None
    text = read_text(path, display, max_file_bytes)
    if not isinstance(text, str):
        # YAML/JSON that cannot be read whole is only our business when it is (or may be) a
        # template or a plan: by its name, or by what its first 64 KiB look like. One that
        # cannot be opened at all may be either, so it is reported.
        head = peek_text(path)
        if "template" in path.name.lower() or head is None or sniff(head, path.name, partial=True):
            problems.append(text)
        return None
    sniffed = sniff(text, path.name)
    if sniffed is None:
        return None
    return SourceFile(path=path, display=display, kind=sniffed, text=text)
