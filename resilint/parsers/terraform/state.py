"""Where a Terraform root keeps its state, and which other states it reads.

The systems step links a unit that reads a state (`data "terraform_remote_state"`,
`data "tfe_outputs"`) to the unit whose backend has the same address, so both spell the address
here, one way: `s3://bucket/key`, `gcs://bucket/prefix`, `azurerm://account/container/key`,
`tfc://host/organization/workspace` (the `remote` and `cloud` backends and `tfe_outputs` name
the same workspaces), `local:///absolute/path`. Only the parts that identify the state count
(not the region, the lock table or the credentials). An address with a part that is not known is
None: no link is made on a guess.

A backend block may be partial (`backend "s3" {}`) with the rest given to `terraform init
-backend-config=FILE`: the `*.tfbackend` files of the root's folder, its subfolders and the
folders above it that fill in what the block leaves out each give a possible address.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from resilint.model import Backend, Location, StateRead
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.source import ModuleSource
from resilint.paths import display_path
from resilint.sources import read_text
from resilint.state_match import known_parts

_DEFAULT_HOST = "app.terraform.io"
_MAX_TFBACKEND_BYTES = 1 << 20
# The arguments that identify a state, per backend kind (the rest: region, locking, credentials).
_IDENTITY = {
    "s3": ("bucket", "key"),
    "gcs": ("bucket",),
    "azurerm": ("storage_account_name", "container_name", "key"),
    "remote": ("organization", "workspaces"),
    "cloud": ("organization", "workspaces"),
    "local": (),
}

Evaluate = Callable[[s.Expr], Any]
_STATE_READERS = ("terraform_remote_state", "tfe_outputs")


def state_address(kind: str, config: Mapping[str, Any], base: Path) -> str | None:
    """The address of the state a backend configuration names; None when a part is not known or
    the kind is one resilint does not read. `base` is the folder relative paths start from."""

    def text(name: str, default: str | None = None) -> str | None:
        value = config.get(name, default)
        return value if isinstance(value, str) and value else None

    workspace = text("workspace", "default")
    if workspace is None:
        return None
    if kind == "s3":
        bucket, key = text("bucket"), text("key")
        if bucket is None or key is None:
            return None
        if workspace != "default":
            key = f"{text('workspace_key_prefix', 'env:')}/{workspace}/{key}"
        return f"s3://{bucket}/{key}"
    if kind == "gcs":
        bucket, prefix = text("bucket"), text("prefix", "")
        if bucket is None or prefix is None and "prefix" in config:
            return None
        return f"gcs://{bucket}/{(prefix or '').strip('/')}/{workspace}.tfstate"
    if kind == "azurerm":
        account, container, key = text("storage_account_name"), text("container_name"), text("key")
        if account is None or container is None or key is None:
            return None
        if workspace != "default":
            key = f"{key}env:{workspace}"
        return f"azurerm://{account}/{container}/{key}"
    if kind in ("remote", "cloud"):
        organization, host = text("organization"), text("hostname", _DEFAULT_HOST)
        workspaces = config.get("workspaces")
        if isinstance(workspaces, list) and len(workspaces) == 1:
            workspaces = workspaces[0]
        name = workspaces.get("name") if isinstance(workspaces, dict) else None
        if organization is None or host is None or not isinstance(name, str) or not name:
            return None
        return f"tfc://{host}/{organization}/{name}"
    if kind == "local":
        path = text("path", "terraform.tfstate")
        if path is None:
            return None
        if workspace != "default":
            folder = text("workspace_dir", "terraform.tfstate.d")
            path = f"{folder}/{workspace}/{os.path.basename(path)}"
        return "local://" + Path(os.path.normpath(base / path)).as_posix()
    return None


def backend_of(root: ModuleSource) -> Backend:
    """The root's backend: its `backend` or `cloud` block, else the local state in its folder."""
    return backend_and_files(root)[0]


def backend_and_files(root: ModuleSource) -> tuple[Backend, tuple[Path, ...]]:
    """The root's backend, and the `*.tfbackend` files it was looked for in (when the block
    leaves parts out): what a cached unit's backend depends on besides the root's files."""
    looked: list[Path] = []
    backend = _backend(root, looked)
    return backend, tuple(looked)


def _backend(root: ModuleSource, looked: list[Path]) -> Backend:
    for decl in reversed(root.terraform):  # an override file's block comes last and wins
        for block in decl.block.body.blocks:
            if block.type == "backend" and len(block.labels) == 1:
                kind = block.labels[0]
            elif block.type == "cloud":
                kind = "cloud"
            else:
                continue
            location = Location(path=decl.file, line=block.pos.line, end_line=block.pos.end_line)
            config = _literal_body(block.body)
            address = state_address(kind, config, root.dir)
            at_init = False
            if address is None and kind in _IDENTITY:
                looked.extend(_tfbackend_files(root.dir))
                filled = _partial(kind, config, root)
                if filled is not None:
                    config = filled
                    address = state_address(kind, config, root.dir)
                else:
                    at_init = not any(_read_tfbackend(path) for path in _tfbackend_files(root.dir))
            parts = known_parts(kind, config)
            return Backend(kind=kind, address=address, location=location, parts=parts, parts_at_init=at_init and address is None)
    first = sorted(root.files)[0]
    location = Location(path=first, line=1, end_line=1)
    return Backend(kind="local", address=state_address("local", {}, root.dir), location=location, declared=False)


def _partial(kind: str, config: dict[str, Any], root: ModuleSource) -> dict[str, Any] | None:
    """The configuration once a `*.tfbackend` file fills in what the block leaves out: the one
    such file that names a state, else None (several files are several deployments: which one
    this scan is about is not in the code)."""
    found: dict[str, dict[str, Any]] = {}
    for path in _tfbackend_files(root.dir):
        values = _read_tfbackend(path)
        if values is None:
            continue
        filled = {**config, **values}
        address = state_address(kind, filled, root.dir)
        if address is not None:
            found.setdefault(address, filled)
    return next(iter(found.values())) if len(found) == 1 else None


def _tfbackend_files(folder: Path) -> Iterator[Path]:
    """`*.tfbackend` files of the root's folder and its subfolders, then of the folders above."""
    try:
        yield from sorted(folder.glob("*.tfbackend"))
        yield from sorted(folder.glob("*/*.tfbackend"))
    except OSError:
        return
    for above in list(folder.parents)[:3]:
        try:
            yield from sorted(above.glob("*.tfbackend"))
        except OSError:
            return


def _read_tfbackend(path: Path) -> dict[str, Any] | None:
    text = read_text(path, display_path(path), _MAX_TFBACKEND_BYTES)
    if not isinstance(text, str):
        return None
    try:
        body = s.parse_hcl(text)
    except s.HclSyntaxError:
        return None
    return _literal_body(body)


def _literal_body(body: s.Body) -> dict[str, Any]:
    """A backend block's arguments: literal values only (Terraform allows nothing else there);
    nested blocks (`workspaces {}`) as dicts."""
    values: dict[str, Any] = {name: _literal(attr.expr) for name, attr in body.attributes.items()}
    for block in body.blocks:
        values[block.type] = _literal_body(block.body)
    return values


def _literal(expr: s.Expr) -> Any:
    if isinstance(expr, s.Literal):
        return expr.value
    if isinstance(expr, s.Template) and all(isinstance(p, str) for p in expr.parts):
        return "".join(str(p) for p in expr.parts)
    if isinstance(expr, s.ObjectExpr):
        found = {}
        for key, value in expr.items:
            name = _literal(key) if not isinstance(key, s.Name) else key.name
            if isinstance(name, str):
                found[name] = _literal(value)
        return found
    return None


def state_reads(root: ModuleSource, evaluate: Evaluate) -> list[StateRead]:
    """The root module's reads of other states, with the addresses they read (evaluated in the
    root: `bucket = var.state_bucket` is known when the variable is)."""
    if not any(type_ in _STATE_READERS for type_, _ in root.data):
        return []  # most modules read no state: their expressions need no walk
    used = _outputs_used(root)
    reads = []
    for (type_, name), decl in sorted(root.data.items()):
        body = decl.block.body
        if type_ == "terraform_remote_state":
            kind = _evaluated_text(body, "backend", evaluate)
            config_attr = body.attributes.get("config")
            config = evaluate(config_attr.expr) if config_attr is not None else {}
            workspace = body.attributes.get("workspace")
            if isinstance(config, dict) and workspace is not None:
                config = {**config, "workspace": evaluate(workspace.expr)}
            address = state_address(kind, config, root.dir) if kind is not None and isinstance(config, dict) else None
            parts = known_parts(kind, config) if address is None and kind is not None and isinstance(config, dict) else ()
        elif type_ == "tfe_outputs":
            kind = "remote"
            config = {
                "organization": _evaluated_text(body, "organization", evaluate),
                "workspaces": {"name": _evaluated_text(body, "workspace", evaluate)},
            }
            address = state_address(kind, config, root.dir)
            parts = ()
        else:
            continue
        reads.append(
            StateRead(
                name=f"data.{type_}.{name}",
                kind=kind or "unknown",
                address=address,
                location=decl.location(),
                parts=parts,
                outputs_used=tuple(sorted(used.get((type_, name), ()))),
            )
        )
    return reads


def _evaluated_text(body: s.Body, name: str, evaluate: Evaluate) -> str | None:
    attr = body.attributes.get(name)
    value = evaluate(attr.expr) if attr is not None else None
    return value if isinstance(value, str) and value else None


def _outputs_used(root: ModuleSource) -> dict[tuple[str, str], set[str]]:
    """Output names read from each state data source anywhere in the root module:
    `data.terraform_remote_state.x.outputs.name`, `data.tfe_outputs.x.values.name`."""
    found: dict[tuple[str, str], set[str]] = {}
    bodies: list[s.Body] = [d.block.body for d in (*root.resources.values(), *root.data.values(), *root.modules.values(), *root.outputs.values(), *root.providers)]
    exprs: list[s.Expr] = [attr.expr for attr, _ in root.locals.values()]
    for body in bodies:
        exprs.extend(_body_exprs(body))
    for expr in exprs:
        for chain in _traversals(expr):
            if len(chain) >= 5 and chain[0] == "data" and chain[1] in _STATE_READERS:
                if chain[3] in ("outputs", "values", "nonsensitive_values"):
                    found.setdefault((chain[1], chain[2]), set()).add(chain[4])
    return found


def _body_exprs(body: s.Body) -> Iterator[s.Expr]:
    for attr in body.attributes.values():
        yield attr.expr
    for block in body.blocks:
        yield from _body_exprs(block.body)


def _traversals(expr: object) -> Iterator[list[str]]:
    """Every `a.b.c` chain of names in an expression (an index with a literal string key counts
    as a name: `data.terraform_remote_state.x.outputs["name"]`)."""
    if isinstance(expr, (s.GetAttr, s.Index)):
        chain = _chain(expr)
        if chain is not None:
            yield chain
    if isinstance(expr, (tuple, list)):
        for item in expr:
            yield from _traversals(item)
        return
    fields = getattr(expr, "__dataclass_fields__", None)
    if fields is None:
        return
    for name in fields:
        if name != "pos":
            yield from _traversals(getattr(expr, name))


def _chain(expr: object) -> list[str] | None:
    parts: list[str] = []
    while True:
        if isinstance(expr, s.GetAttr):
            parts.append(expr.name)
            expr = expr.obj
        elif isinstance(expr, s.Index):
            if isinstance(expr.key, s.Literal) and isinstance(expr.key.value, str):
                parts.append(expr.key.value)
            else:
                parts.append("*")
            expr = expr.obj
        elif isinstance(expr, s.Name):
            parts.append(expr.name)
            return parts[::-1]
        else:
            return None

