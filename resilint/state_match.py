"""A read of another root's state matched to that root's backend by the parts both know.

`state.py` spells a state as one address and the systems step links equal addresses. A read
whose address has a part that is not known (`bucket = var.state_bucket` without a value) has no
address; it may still name the state by its key, and that key may be a backend's own or, when
the backend leaves it to `terraform init -backend-config` on the command line, name the root's
folder. Both the parser (to give the reader that root's outputs) and the systems step (to link
the two units) ask `partial_match`, which reads only the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from resilint.model import Backend

# The parts that name a state in a backend's store, per backend kind, the most specific last:
# what a read that does not know them all is matched by (`partial_match`).
_PARTS = {
    "s3": ("bucket", "key"),
    "gcs": ("bucket", "prefix"),
    "azurerm": ("storage_account_name", "container_name", "key"),
}


def known_parts(kind: str, config: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The parts of a backend configuration that name its state and are known. None of them for
    a workspace other than the default one (its state lives elsewhere in the store)."""
    workspace = config.get("workspace", "default")
    if workspace != "default" and workspace is not None:
        return ()
    return tuple((name, value) for name in _PARTS.get(kind, ()) if isinstance(value := config.get(name), str) and value)


def partial_match(kind: str, parts: tuple[tuple[str, str], ...], backend: Backend, folder: Path) -> str | None:
    """Why a read of a `kind` state whose address is not wholly known (`bucket =
    var.state_bucket` without a value; `parts` are the known ones) reads the state of the root
    in `folder` with `backend`, or None. It must know the
    most specific part (the key, the prefix), and every part both know must be equal; that
    part is the backend's own, or, when the backend leaves it to `terraform init
    -backend-config` on the command line, it names the root's folder
    (`environments/primary/s3/terraform.tfstate` for `.../environments/primary/s3`), the usual
    convention of the scripts that run init. A match is a candidate: the caller links a read
    only to the one root it matches."""
    names = _PARTS.get(kind)
    if names is None or backend.kind != kind:
        return None
    wanted, have = dict(parts), dict(backend.parts)
    specific = names[-1]
    if specific not in wanted or any(have[n] != wanted[n] for n in names if n in have and n in wanted):
        return None
    missing = [n for n in names if n not in wanted]
    if specific in have:
        how = f"its {specific} {wanted[specific]} is that root's backend's"
    elif backend.parts_at_init and _names_folder(wanted[specific], folder):
        how = f"its {specific} {wanted[specific]} names that root's folder, whose backend leaves the {specific} to terraform init"
    else:
        return None
    if not missing:
        return how
    verb = "is" if len(missing) == 1 else "are"
    return f"its {' and '.join(missing)} {verb} not known, but {how}"


def _names_folder(value: str, folder: Path) -> bool:
    """Whether a state key or prefix, without its `.tfstate` file name, is the end of `folder`'s path."""
    segments = [p for p in value.split("/") if p]
    if segments and segments[-1].endswith(".tfstate"):
        segments.pop()
    parts = folder.parts
    return bool(segments) and len(segments) <= len(parts) and list(parts[len(parts) - len(segments) :]) == segments
