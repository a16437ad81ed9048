"""Source files: what discovery found, and reading one safely into text."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from resilint.model import Location, Problem

FileKind = Literal["terraform", "terraform-vars", "terraform-plan", "cloudformation", "terragrunt"]


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    display: str  # relative to the working directory, forward slashes
    kind: FileKind
    text: str | None = None  # already read during discovery (content-sniffed files)


def problem(display: str, message: str, line: int = 1, column: int | None = None) -> Problem:
    line = max(line, 1)
    return Problem(
        message=message,
        location=Location(path=display, line=line, end_line=line, column=column),
    )


def read_text(path: Path, display: str, max_bytes: int) -> str | Problem:
    """The file's text, or a Problem saying in plain words why it cannot be read."""
    try:
        with _open(path) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return problem(display, "not a regular file")
            if info.st_size > max_bytes:
                return problem(
                    display,
                    f"file is {info.st_size / 1048576:.1f} MiB, above the {max_bytes / 1048576:.0f} MiB limit "
                    "(raise it with --max-file-size)",
                )
            # Ask for the size fstat gave, not the limit: a read of n bytes allocates n bytes
            # first (a 20 MiB buffer per file cost fabric's 2,968 files about a second).
            wanted = info.st_size + 1
            data = handle.read(wanted)
            if len(data) == wanted:  # grew since fstat: read on, up to the limit
                data += handle.read(max_bytes + 1 - wanted)
    except OSError as exc:
        return problem(display, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:  # grew while we read it
        return problem(display, f"file is above the {max_bytes / 1048576:.0f} MiB limit (raise it with --max-file-size)")
    return decode_text(data, display)


def peek_text(path: Path, limit: int = 64 << 10) -> str | None:
    """The first `limit` bytes as text, leniently decoded (bad bytes replaced): enough to tell
    what a file that cannot be read whole is. None when it cannot be opened at all."""
    try:
        with _open(path) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            data = handle.read(limit)
    except OSError:
        return None
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    return data.decode("utf-8", "replace")


def _open(path: Path) -> BinaryIO:
    # O_NONBLOCK: a named pipe that slipped past discovery must not block the scan.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    return os.fdopen(descriptor, "rb")


# Byte-order marks of the encodings editors save in when not UTF-8 (UTF-32 before UTF-16: the
# UTF-32 LE mark begins with the UTF-16 LE one).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes, display: str) -> str | Problem:
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            name = encoding[:6].upper()
            return problem(display, f"file is encoded as {name}, but resilint reads UTF-8 (as Terraform does): save it as UTF-8")
    if b"\x00" in data[:8192]:
        return problem(display, "binary file (contains NUL bytes), not a text configuration file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return problem(
            display,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column})",
            line,
            column,
        )
    # Normalise line endings so every parser sees "\n" and line numbers agree with editors.
    return text.replace("\r\n", "\n").replace("\r", "\n")
