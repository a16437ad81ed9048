"""A content-addressed cache of parse results, so an unchanged file is never parsed twice.

Entries live in the user cache folder (`RESILINT_CACHE_DIR`, else the platform's cache folder,
e.g. ~/.cache/resilint), one file per entry, named by a SHA-256 of the parser's namespace, the
versions of resilint and its parsers, and the file's content. Writes go to a temporary file
renamed into place, so concurrent runs never see half an entry; an entry that cannot be read for
any reason is treated as a miss and removed. The cache is an optimisation only: every failure
to read or write it falls back to parsing.

Entries are pickles. They are only ever read from the user's own cache folder; anyone who can
write there can already run code as that user.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from resilint import __version__

T = TypeVar("T")

# Bump when the shape of cached values changes without a version change (development builds).
FORMAT = "33"  # 3: Terraform values may hold UnknownList; 4: ZoneList and UnknownZone; 5: Unit.backend, state_reads; 6: stricter HCL; 7: Unit.metadata; 8: ProviderConfig.settings; 9: Unit.module_like; 10: Google resources whose location defaults to global and Azure CDN, Front Door and Traffic Manager have no region; the CloudFront log delivery canonical user id is known; 11: provenance, deployed_by; 12: one attribute of one resource is an UnknownAttribute; 13: heredoc closing markers with blanks after them (files that were RES001 parse now); 14: distinct() and toset() keep zone positions; 15: jsondecode()/yamldecode() of a list or map fail (try() takes the next argument); 16: Unit.app (the CDK app listing a stack); 17: Unit.exports and Fn::ImportValue references; 18: UnknownText and UnknownInput (unknown strings and inputs with an identity); 19: Terraform resources carry provenance (what a value rests on: variable defaults, tfvars, module arguments, locals, conditions); 20: Backend.parts and StateRead.parts (reads matched by the parts they know), lookups of a resource by its name; 21: Terraform provenance of nested arguments (settings.availability_type) under their own keys; 22: Unit.parameters (a template's parameter names); 23: CloudFormation reasons say how to give a stack's region or a parameter's value; 24: UnknownCall (lower(), upper(), coalesce() of values with an identity), CloudFormation !Sub texts, parameters and pseudo parameters with an identity; 25: CloudFormation !Join of such values is a text too; 26: trim(), trimprefix(), trimsuffix(), replace(), substr() and format() of values with an identity are UnknownCalls (or the text, when the known text decides a trim); 27: Unit.copies and copy_of (a stack deployed to several regions built once per region); 28: a call's final `...` spreads its last argument (python-hcl2 dropped it); 29: a SAM state machine's local DefinitionUri file is read as its Definition (the file's text in the key); 30: data.aws_elb_service_account and data.aws_caller_identity attributes are UnknownAttributes (texts built from them keep their parts); 31: a template encoding JSON with unknown parts that have no identity is an UnknownDocument, an undeclared variable an UnknownInput; 32: a bare `local`, `var`, `module`, `data.TYPE` (no attribute named) is unknown in words, not a sentinel's repr; a provider setting or region that is a list or map is unknown; 33: a missing provider configuration is unknown for the module, not per resource (RES102 groups the resources it leaves open)


def default_folder() -> Path:
    configured = os.environ.get("RESILINT_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("resilint", appauthor=False))


def _dependency_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("python-hcl2", "cfn-lint", "pydantic"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


class ParseCache:
    """Parse results by content. `enabled=False` computes every time (`--no-cache`)."""

    def __init__(self, folder: Path | None = None, enabled: bool = True) -> None:
        self.enabled = enabled
        self.folder = folder if folder is not None else (default_folder() if enabled else Path())
        self._salt: bytes | None = None
        self.hits = 0
        self.misses = 0

    def _key(self, namespace: str, content: str) -> str:
        if self._salt is None:
            self._salt = f"{FORMAT}\0{__version__}\0{_dependency_versions()}\0".encode()
        digest = hashlib.sha256(self._salt)
        digest.update(namespace.encode())
        digest.update(b"\0")
        digest.update(content.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def has(self, namespace: str, content: str) -> bool:
        """Whether an entry exists (it may still turn out unreadable)."""
        if not self.enabled:
            return False
        key = self._key(namespace, content)
        return (self.folder / key[:2] / key[2:]).exists()

    def get_or_compute(self, namespace: str, content: str, compute: Callable[[], T]) -> T:
        if not self.enabled:
            return compute()
        key = self._key(namespace, content)
        path = self.folder / key[:2] / key[2:]
        try:
            with open(path, "rb") as handle:
                value: T = pickle.load(handle)
            from resilint.parsers.guards import settled  # not at the top: parsers import this module

            settled()
            self.hits += 1
            return value
        except FileNotFoundError:
            pass
        except Exception:  # corrupt, truncated, from an incompatible build: a miss
            try:
                path.unlink()
            except OSError:
                pass
        self.misses += 1
        value = compute()
        self._store(path, value)
        return value

    def load_named(self, namespace: str, name: str) -> object | None:
        """A value stored under a name (not by content), or None when absent or unreadable."""
        if not self.enabled:
            return None
        path = self._named_path(namespace, name)
        try:
            with open(path, "rb") as handle:
                value: object = pickle.load(handle)
            return value
        except FileNotFoundError:
            return None
        except Exception:  # corrupt, truncated, from an incompatible build
            try:
                path.unlink()
            except OSError:
                pass
            return None

    def store_named(self, namespace: str, name: str, value: object) -> None:
        if self.enabled:
            self._store(self._named_path(namespace, name), value)

    def _named_path(self, namespace: str, name: str) -> Path:
        key = self._key(namespace, name)
        return self.folder / "named" / key

    def _store(self, path: Path, value: object) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except Exception:  # read-only or full disk, unpicklable value: just don't cache
            return
