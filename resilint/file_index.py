"""The file index: which deployment units read which files, so that files named one by one (the
pre-commit hook) cost what they change, not the size of their repository.

A file-mode scan without an index reads its whole repository (`scan.py`) and then records, in
the parse cache folder, for that repository and those settings:

- every folder walked with the names it held, and every file walked or read with its stamp
  (modification time, change time, size, inode): what tells a later run what changed;
- the files discovery found and their kinds, each Terraform folder's module calls (what makes
  a folder a root), and discovery's problems;
- per unit: the absolute paths it was built from (its files, its modules' files, tfvars,
  file() reads, and any other file its builder declares it read), the files its findings can be
  located in, the DNS names it declares (zones, name servers, records), the units of its
  system, the buckets it declares and the bucket its backend keeps state in.

Makefiles, shell scripts and samconfig files are stamped too (`deployments.scope`): an edit may
give a template regions, so a changed one rebuilds the templates it may deploy.

A later file-mode run checks the stamps and builds only the units that read a named file, the
units of their systems, the units sharing a DNS name with them (rules read those through
`Project.systems` and the project's DNS index) and the units whose backends keep state in their
buckets (`relations.state_buckets`), closed under these relations: the findings in
the named files are exactly those of a whole scan. Units whose files changed are rebuilt too,
to keep their entries true. Whatever the index cannot answer exactly falls back to the whole
scan, which writes a new index: a file or folder that came or went, a YAML/JSON file whose kind
changed, a Terraform folder whose module calls changed, a unit whose links to other units
(backend, remote states read, names exported and imported, StackSets) changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from resilint import __version__
from resilint.cache import FORMAT, ParseCache
from resilint.model import Problem, Project, Unit, split_import_ref
from resilint.parsers import BuildRecord, ParseOptions, build_project
from resilint.paths import display_path
from resilint.sources import SourceFile

NAMESPACE = "file-index-3"  # 2: IndexedUnit.buckets and state_buckets; 3: deployment configuration's stamps

# (mtime_ns, ctime_ns, size, inode); None: the path does not exist.
Stamp = tuple[int, int, int, int] | None


@dataclass(frozen=True)
class IndexedUnit:
    id: str
    source: str
    origin: str  # absolute: a Terraform root's folder, or the template or plan file
    reads: frozenset[str]  # absolute paths it was built from
    paths: frozenset[str]  # display paths a finding or problem of it can be located in
    names: frozenset[str]  # DNS names its zones, name server sets and records declare
    wildcard: bool  # a zone or record whose name is unknown: any name may be it
    links: str  # what link finders read of it (backend, states read)
    has_state: bool  # a Terraform root whose state (backend address) other roots may read
    reads_states: bool  # reads other roots' states: built with every root it may read
    system: tuple[str, ...]  # ids of the units of its system
    buckets: frozenset[str] = frozenset()  # buckets it declares with a known name (`state_buckets`)
    state_buckets: frozenset[str] = frozenset()  # the bucket its backend keeps state in


@dataclass
class FileIndex:
    files: dict[str, tuple[str, str]]  # absolute path -> (kind, display path), as discovered
    folders: dict[str, tuple[int, str]]  # absolute folder -> (mtime_ns, digest of its names)
    stamps: dict[str, Stamp]
    calls: dict[str, frozenset[str]]  # Terraform folder -> folders its module calls point at
    scanned: str | None  # the folder Terraform's file() may read under
    units: dict[str, IndexedUnit]
    problems: list[Problem]  # discovery's
    excludes_used: frozenset[int]
    changed: bool = field(default=False, compare=False)


@dataclass
class FileModeBuild:
    project: Project
    files: list[SourceFile]  # the named files as discovered (kind, display)
    problems: list[Problem]
    excludes_used: frozenset[int]
    reads: dict[str, frozenset[str]] = field(default_factory=dict)  # per unit built: the files it read


def index_key(context: Sequence[Path], settings_key: str, options: ParseOptions, force_exclude: bool) -> str:
    """What an index is valid for: the repository folders, the working directory (display
    paths), the settings that shape discovery and units, and the versions that shape values."""
    parts = [
        FORMAT,
        __version__,
        os.getcwd(),
        repr(sorted(str(c) for c in context)),
        settings_key,
        repr(force_exclude),
        repr(options.var_files),
        repr(options.variables),
        repr(options.command_line),
        repr(options.cloudformation_values),  # CloudFormation parameter values given from outside
        repr(sorted((k, v) for k, v in options.environment.items() if k.startswith("TF_VAR_") or k in ("TF_WORKSPACE", "TF_DATA_DIR"))),
        repr(options.max_file_bytes),
    ]
    return "\0".join(parts)


def stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def listing_digest(names: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode("utf-8", "surrogatepass")).hexdigest()


def load(cache: ParseCache, key: str) -> FileIndex | None:
    value = cache.load_named(NAMESPACE, key)
    return value if isinstance(value, FileIndex) else None


def save(cache: ParseCache, key: str, index: FileIndex) -> None:
    index.changed = False
    cache.store_named(NAMESPACE, key, index)


# Recording ------------------------------------------------------------------------------------


def record(
    files: Sequence[SourceFile],
    walked: Sequence[tuple[Path, list[str]]],
    walked_files: Iterable[Path],
    problems: Sequence[Problem],
    project: Project,
    built: BuildRecord,
    excludes_used: frozenset[int],
) -> FileIndex:
    """The index of a whole build: `project` with its systems, built from `files`."""
    folders = {str(folder): (_mtime(str(folder)), listing_digest(names)) for folder, names in walked}
    stamps: dict[str, Stamp] = {str(p): stamp(str(p)) for p in walked_files}
    terraform_folders = [str(f.path.parent) for f in files if f.kind == "terraform"]
    index = FileIndex(
        files={os.path.abspath(f.path): (f.kind, f.display) for f in files},
        folders=folders,
        stamps=stamps,
        calls=dict(built.calls),
        scanned=os.path.commonpath(terraform_folders) if terraform_folders else None,
        units={},
        problems=list(problems),
        excludes_used=excludes_used,
    )
    systems = {u: s.units for s in project.systems for u in s.units}
    for unit in project.units:
        reads = built.reads.get(unit.id, frozenset())
        index.units[unit.id] = entry(unit, reads, systems.get(unit.id, (unit.id,)))
        _watch(index, reads)
    return index


def entry(unit: Unit, reads: frozenset[str], system: tuple[str, ...]) -> IndexedUnit:
    from resilint.relations.state_buckets import backend_buckets, declared_buckets
    from resilint.scan import unit_paths

    names, wildcard = dns_names(unit)
    # A template's unit may read other templates too (nested stacks, the StackSet that deploys
    # it): its origin is its own file, the unit's id.
    origin = os.path.abspath(unit.id)
    return IndexedUnit(
        id=unit.id,
        source=unit.source,
        origin=origin,
        reads=reads,
        paths=frozenset(unit_paths(unit)) | frozenset(display_path(r) for r in reads),
        names=names,
        wildcard=wildcard,
        links=link_facts(unit),
        # Its state may be read by address, or by the parts a read knows (state_match.py).
        has_state=unit.backend is not None and (unit.backend.address is not None or bool(unit.backend.parts) or unit.backend.parts_at_init),
        reads_states=bool(unit.state_reads),
        system=tuple(system),
        buckets=declared_buckets(unit),
        state_buckets=backend_buckets(unit),
    )


def dns_names(unit: Unit) -> tuple[frozenset[str], bool]:
    """The names the project's DNS index files the unit's zones, name servers and records
    under, and whether one of them has no known name (it is looked at for every name)."""
    from resilint.relations.dns import name_server_sets, records, zones

    names: set[str] = set()
    wildcard = False
    for zone in zones(unit):
        if zone.domain is None:
            wildcard = True
        else:
            names.add(zone.domain)
    for name_servers in name_server_sets(unit):
        if name_servers.domain is not None:
            names.add(name_servers.domain)
    for record_ in records(unit):
        if record_.fqdn is None:
            wildcard = True
        else:
            names.add(record_.fqdn)
    return frozenset(names), wildcard


def link_facts(unit: Unit) -> str:
    """What the systems step's link finders read of a unit besides its id (region siblings are
    found from ids alone): its backend and the states it reads; the names a stack exports and
    imports; the templates its StackSets deploy and the StackSet or CDK app that deploys it. A
    finder that reads more adds it here."""
    imports = sorted({name for r in unit.resources for ref in r.references if (name := split_import_ref(ref.target)) is not None})
    stack_sets = sorted(
        (r.address, str(r.meta.get("TemplateFile")), repr(r.attributes.get("StackInstancesGroup")))
        for r in unit.resources
        if "TemplateFile" in r.meta
    )
    return repr((unit.backend, unit.state_reads, sorted(unit.exports), imports, stack_sets, unit.deployed_by, unit.app))


def _watch(index: FileIndex, reads: Iterable[str]) -> None:
    """Stamps for the files read, and their folders' listings (a file that appears there, such
    as a new `*.auto.tfvars`, changes what the unit reads)."""
    for path in reads:
        if path not in index.stamps:
            index.stamps[path] = stamp(path)
        folder = os.path.dirname(path)
        if folder not in index.folders:
            try:
                index.folders[folder] = (_mtime(folder), listing_digest(os.listdir(folder)))
            except OSError:
                index.folders[folder] = (-1, "")


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


# Answering ------------------------------------------------------------------------------------


class Stale(Exception):
    """The index cannot answer exactly: scan the whole repository."""


def build_for_files(
    index: FileIndex, targets: set[str], named: Sequence[SourceFile], options: ParseOptions, finish: Callable[[Project], Project]
) -> FileModeBuild:
    """The project a whole scan would give (`finish` adds what scan adds: configuration facts,
    systems), reduced to the units the named files need (see the module's docstring). Raises
    Stale when the index cannot answer exactly."""
    dirty = _changes(index)
    for file in named:
        known = index.files.get(os.path.abspath(file.path))
        if known is None or known[0] != file.kind:
            raise Stale(f"{file.display} is not in the index as {file.kind}")
    refresh = {u.id for u in index.units.values() if not u.reads.isdisjoint(dirty)} | _configured_by(index, dirty)
    reading = {u.id for u in index.units.values() if u.paths & targets}
    # First the units that read a changed file, and those read for the named files: their
    # entries (names, links) must be current before the closure is taken.
    first, reads = _build(index, refresh | reading, named, options)
    by_id = {u.id: u for u in first.units}
    for unit_id in refresh | reading:
        unit = by_id.get(unit_id)
        old = index.units[unit_id]
        if unit is None:
            raise Stale(f"unit {unit_id} is gone")
        new = entry(unit, reads.get(unit_id, old.reads), old.system)
        if new.links != old.links:
            raise Stale(f"links of {unit_id} changed")
        if new != old:
            index.units[unit_id] = new
            _watch(index, new.reads)
            index.changed = True
    for path in dirty:
        index.stamps[path] = dirty[path]
        index.changed = True
    # A changed Makefile or samconfig may now deploy a template it did not: the units reading
    # the named files as they are now (all rebuilt above, being refreshed).
    reading |= {u.id for u in index.units.values() if u.paths & targets}
    reading |= _sharing_files(index, targets, named, by_id)
    wanted = closure(index, reading)
    missing = wanted - set(by_id)
    units = [by_id[i] for i in wanted if i in by_id]
    problems = list(first.problems)
    if missing:
        second, _ = _build(index, missing, (), options)
        units.extend(second.units)
        problems.extend(second.problems)
    problems.extend(index.problems)
    unique = sorted(dict.fromkeys(problems), key=lambda p: (p.location.path, p.location.line, p.message))
    project = Project(
        units=tuple(sorted(units, key=lambda u: u.id)),
        problems=tuple(unique),
        files_scanned=len(index.files),
    )
    reads = {u.id: index.units[u.id].reads for u in project.units if u.id in index.units}
    return FileModeBuild(finish(project), list(named), unique, index.excludes_used, reads)


def _sharing_files(index: FileIndex, targets: set[str], named: Sequence[SourceFile], by_id: dict[str, Unit]) -> set[str]:
    """For named inputs (tfvars, a Makefile: files that report their units' findings), the units
    whose findings may be located in the files of the units reading them: a finding inside a
    module several roots call is one finding naming them all (`merge_callers`), as in a whole
    scan."""
    from resilint.scan import LOCATED_KINDS, unit_paths

    inputs = targets - {f.display for f in named if f.kind in LOCATED_KINDS}
    if not inputs:
        return set()
    shared: set[str] = set()
    for unit in index.units.values():
        if unit.paths & inputs and unit.id in by_id:
            shared.update(unit_paths(by_id[unit.id]))
    return {u.id for u in index.units.values() if u.paths & shared}


def _configured_by(index: FileIndex, dirty: Iterable[str]) -> set[str]:
    """The templates' units that changed deployment configuration may deploy now (`deployments.
    scope`): a Makefile's templates are those in its folder and under it, a samconfig's those
    beside it. They are rebuilt, so that their entries say which of these files they read."""
    from resilint.parsers.cloudformation.deployments import scope

    found: set[str] = set()
    for path in dirty:
        where = scope(path)
        if where is None:
            continue
        folder = os.path.dirname(path)
        for unit in index.units.values():
            if unit.source != "cloudformation":
                continue
            home = os.path.dirname(unit.origin)
            if home == folder or (where == "below" and home.startswith(folder.rstrip(os.sep) + os.sep)):
                found.add(unit.id)
    return found


def closure(index: FileIndex, start: Iterable[str]) -> set[str]:
    """The units the rules may read when they check `start`: their systems' units, the units
    sharing a DNS name with them (all DNS units for a name that is unknown), and the units whose
    backends keep state in their buckets (RES103 leaves state buckets alone), transitively."""
    by_name: dict[str, list[str]] = {}
    wildcards: list[str] = []
    with_dns: list[str] = []
    by_state_bucket: dict[str, list[str]] = {}
    for unit in index.units.values():
        for bucket in unit.state_buckets:
            by_state_bucket.setdefault(bucket, []).append(unit.id)
        for name in unit.names:
            by_name.setdefault(name, []).append(unit.id)
        if unit.wildcard:
            wildcards.append(unit.id)
        if unit.names or unit.wildcard:
            with_dns.append(unit.id)
    wanted: set[str] = set()
    pending = [u for u in start if u in index.units]
    while pending:
        unit_id = pending.pop()
        if unit_id in wanted:
            continue
        wanted.add(unit_id)
        unit = index.units[unit_id]
        pending.extend(unit.system)
        for name in unit.names:
            pending.extend(by_name.get(name, ()))
        if unit.names or unit.wildcard:
            pending.extend(wildcards)
        if unit.wildcard:
            pending.extend(with_dns)
        for bucket in unit.buckets:
            pending.extend(by_state_bucket.get(bucket, ()))
    return wanted


def _changes(index: FileIndex) -> dict[str, Stamp]:
    """Files whose stamp changed, with their new stamp. Raises Stale when files came or went,
    or a change may change which files are scanned or which folders are roots."""
    for folder, (mtime, digest) in index.folders.items():
        now = _mtime(folder)
        if now == mtime:
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            if digest:
                raise Stale(f"folder {folder} is gone") from None
            continue
        if listing_digest(names) != digest:
            raise Stale(f"files came or went in {folder}")
        index.folders[folder] = (now, digest)
        index.changed = True
    dirty: dict[str, Stamp] = {}
    for path, old in index.stamps.items():
        new = stamp(path)
        if new != old:
            dirty[path] = new
    for path in dirty:
        _check_kind(index, path)
    return dirty


def _check_kind(index: FileIndex, path: str) -> None:
    from resilint.discover import STRUCTURED_SUFFIXES, kind_by_name

    name = os.path.basename(path)
    known = index.files.get(path)
    if kind_by_name(name) == "terraform":
        if known is None:
            return  # a downloaded module's file: read by the units that call it, no more
        _check_calls(index, os.path.dirname(path))
    elif name.lower().endswith(STRUCTURED_SUFFIXES):
        from resilint.discover import discover

        found = discover([Path(path)])
        kind = found.files[0].kind if found.files else None
        if kind != (known[0] if known is not None else None) or found.problems:
            raise Stale(f"{path} changed what it is")


def _check_calls(index: FileIndex, folder: str) -> None:
    from resilint.parsers.terraform.folders import FolderCache

    files = [Path(p) for p, (kind, _) in index.files.items() if kind == "terraform" and os.path.dirname(p) == folder]
    module = FolderCache(20 << 20).add(Path(folder), [(p, None) for p in files])
    calls = frozenset(str(t) for t in {*module.local_module_sources().values(), *module.repository_module_sources().values()})
    if calls != index.calls.get(folder, frozenset()):
        raise Stale(f"module calls changed in {folder}")


def _build(
    index: FileIndex, unit_ids: set[str], named: Iterable[SourceFile], options: ParseOptions
) -> tuple[Project, dict[str, frozenset[str]]]:
    """Units by id (and the named files' problems), built as the whole scan builds them."""
    wanted_files: dict[str, SourceFile] = {}
    roots: set[Path] = set()
    terraform_folders: set[str] = set()

    def add(path: str) -> None:
        known = index.files.get(path)
        if known is not None and path not in wanted_files:
            wanted_files[path] = SourceFile(path=Path(path), display=known[1], kind=known[0])  # type: ignore[arg-type]

    called = {target for targets_ in index.calls.values() for target in targets_}
    for file in named:
        absolute = os.path.abspath(file.path)
        if file.kind == "terraform":
            terraform_folders.add(os.path.dirname(absolute))
            if os.path.dirname(absolute) not in called:
                roots.add(Path(os.path.dirname(absolute)))
        else:
            wanted_files[absolute] = file
    for unit_id in unit_ids:
        unit = index.units[unit_id]
        configs = [read for read in unit.reads if index.files.get(read, ("", ""))[0] == "terragrunt"]
        if configs:  # a Terragrunt unit: its configuration and those of the units it depends on
            for read in configs:
                add(read)
            terraform_folders.update(os.path.dirname(r) for r in unit.reads)
        elif unit.source == "terraform":
            roots.add(Path(unit.origin))
            terraform_folders.add(unit.origin)
            terraform_folders.update(os.path.dirname(r) for r in unit.reads)
        else:
            add(unit.origin)
            for read in unit.reads:  # nested stacks' templates, the StackSet's template
                add(read)
    # A root that reads states is built with every root whose state it may read, as in a
    # whole scan (their outputs are its values).
    readable: list[Path] = []
    if any(index.units[i].reads_states for i in unit_ids):
        readable = sorted(Path(u.origin) for u in index.units.values() if u.has_state)
        terraform_folders.update(str(r) for r in readable)
    for path, (kind, _) in index.files.items():
        if kind == "terraform" and os.path.dirname(path) in terraform_folders:
            add(path)
    built = BuildRecord()
    project = build_project(
        sorted(wanted_files.values(), key=lambda f: f.display),
        (),
        replace(
            options,
            terraform_roots=tuple(sorted(roots)),
            terraform_scanned=Path(index.scanned) if index.scanned is not None else None,
            terraform_readable=tuple(readable),
            record=built,
        ),
    )
    return project, built.reads
