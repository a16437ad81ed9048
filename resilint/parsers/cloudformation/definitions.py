"""SAM `DefinitionUri` files: the state machine definition a template names by a local path.

`sam deploy` uploads the local file an `AWS::Serverless::StateMachine`'s `DefinitionUri` names
(an Amazon States Language document, JSON or YAML) and deploys it as the state machine's
definition, so the model reads it as the template's `Definition` (`inline`): what the
definition names (an Athena task's `OutputLocation`, with `DefinitionSubstitutions` put in) is
judged as a definition written in the template. The OpenAPI file of an `Api` or `HttpApi` is
not read: nothing in the model reads an API's body.

Such a file is an input of the template's parse, so the parse cache keys the template with the
texts of the files its `DefinitionUri` values name (`cache_content`, found in the text), and
the parse reads no file the key does not cover (`named_files` limits what it may read).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resilint.model import Location, Note, Problem
from resilint.parsers.cloudformation.language_extensions import _like
from resilint.sources import SourceFile, read_text

_STATE_MACHINE = "AWS::StepFunctions::StateMachine"
_SAM_STATE_MACHINE = "AWS::Serverless::StateMachine"
# `DefinitionUri: path`, `"DefinitionUri": "path"`: a plain value (not a mapping, a tag or a URL).
_URI = re.compile(r"""DefinitionUri["']?[ \t]*:[ \t]*["']?([^\s"',#{}\[\]!&*|>][^\s"',#{}\[\]]*)""")

ReadFile = Callable[[Path, str], "SourceFile | Problem"]


def named_files(text: str) -> tuple[str, ...]:
    """The local paths the template's `DefinitionUri` values may name, as written, sorted."""
    if "DefinitionUri" not in text:
        return ()
    found = {m.group(1) for m in _URI.finditer(text)}
    return tuple(sorted(v for v in found if _local(v) is not None))


def cache_content(path: Path, text: str, max_bytes: int) -> str:
    """What a template's parse depends on besides its values: its text, and the text of each file
    its `DefinitionUri` values name (or that it cannot be read)."""
    parts = [text]
    for value in named_files(text):
        read = read_text(path.parent / value, value, max_bytes)
        parts.append(f"\0DefinitionUri {value}\0{read if isinstance(read, str) else '(not read)'}")
    return "".join(parts)


def inline(resources: dict[Any, Any], file: SourceFile, read_file: ReadFile, notes: list[Note]) -> tuple[dict[Any, Any], list[str]]:
    """`resources` with each SAM state machine's local `DefinitionUri` file read as its
    `Definition`, and the display paths of the files read. A file that cannot be read or is
    not a definition leaves the state machine as it is, with a note."""
    allowed = set(named_files(file.text or ""))
    read: list[str] = []
    out = resources
    for key, body in resources.items():
        if not isinstance(body, dict) or body.get("Type") != _STATE_MACHINE:
            continue
        metadata = body.get("Metadata")
        properties = body.get("Properties")
        if not isinstance(metadata, dict) or metadata.get("SamType") != _SAM_STATE_MACHINE or not isinstance(properties, dict):
            continue
        uri = properties.get("DefinitionUri")
        local = _local(uri)
        if local is None or "Definition" in properties:
            continue
        line = _line(key)
        where = Location(path=file.display, line=line, end_line=line)
        display = posixpath.normpath(posixpath.join(posixpath.dirname(file.display), local))
        definition = _definition(file.path.parent / local, display, read_file) if local in allowed else "it is not named plainly"
        if isinstance(definition, str):
            notes.append(Note(message=f"state machine {key}: DefinitionUri {local} is not read ({definition}); its definition is not judged", location=where))
            continue
        new_properties = {k: v for k, v in properties.items() if k != "DefinitionUri"}
        new_properties["Definition"] = definition
        if out is resources:
            out = _like(resources, dict(resources))
        out[key] = _like(body, {**body, "Properties": _like(properties, new_properties)})
        if display not in read:
            read.append(display)
    return out, read


def _definition(path: Path, display: str, read_file: ReadFile) -> dict[Any, Any] | str:
    """The definition a file holds, or why it holds none."""
    from resilint.parsers.cfn_decoder import decode_str
    from resilint.parsers.guards import paused_gc, yaml_alias_bomb

    if not path.is_file():
        return "the file is not found"
    source = read_file(path, display)
    if isinstance(source, Problem):
        return source.message
    text = source.text or ""
    if yaml_alias_bomb(text) is not None:
        return "it expands beyond what is analysed"
    try:
        with paused_gc():
            decoded, matches = decode_str(text)
    except RecursionError:
        return "it is nested too deeply"
    if matches or not isinstance(decoded, dict) or not isinstance(decoded.get("States"), dict):
        return "it is not a state machine definition"
    # Plain values: the decoder's position marks are the definition file's, not the template's.
    plain: dict[Any, Any] = json.loads(json.dumps(decoded, default=str))
    return plain


def _local(value: Any) -> str | None:
    """A `DefinitionUri` that names a file beside the template, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text) or text.startswith(("s3:", "arn:")):
        return None
    return text


def _line(node: Any) -> int:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else 1
