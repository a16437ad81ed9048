"""Reports and baselines written whole or not at all.

A file named with `--output` or `--write-baseline` is written to a temporary file beside it and
renamed over it, so that whoever reads it meanwhile (another run started at the same time, a CI
step, an editor watching it) sees the previous file or the new one, never a truncated or half
written one. Anything that is not a regular file (`/dev/stdout`, a named pipe, a symbolic link)
is written in place, as is a file whose folder does not let us create the temporary one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


def write_whole(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`, creating its folder; OSError when it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        path.write_text(text, encoding="utf-8")
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # 0o666 less the umask, as open() creates files (mkstemp would make it private)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError:
        path.write_text(text, encoding="utf-8")
        return
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
