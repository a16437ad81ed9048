"""The local module calls of a folder guessed from its text, before anything is parsed.

Worker processes share a cold scan's folders out before any of them is parsed
(parsers/shares.py): a root and the local modules it calls are best parsed by one worker, which
then builds the root without parsing them again. A guess is enough for that: a folder's real
calls come from its syntax tree (`ModuleSource.local_module_sources`), and a wrong guess only
costs a worker a parse it could have saved, never a different result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

# `source = "./..."` or `"../..."` at the start of a line, as module blocks write it; in JSON
# syntax `"source": "./..."`. Other blocks' `source` arguments that look like a local path (a
# provisioner's file) name no scanned folder or a file, and are dropped with them.
_HCL_SOURCE = re.compile(r'^[ \t]*source[ \t]*=[ \t]*"(\.\.?/[^"\n]*)"', re.MULTILINE)
_JSON_SOURCE = re.compile(r'"source"[ \t\r\n]*:[ \t\r\n]*"(\.\.?/[^"\n]*)"')


def local_calls(folder: str, texts: Iterable[tuple[str, str]]) -> list[str]:
    """The folders that `folder`'s files (name, text) seem to call as local modules, one for
    each call (a module called twice is built twice), as absolute paths normalised without
    resolving links (the scan's folders are real paths), in text: the caller keeps those it
    knows (a Path for each call would cost more than the guess)."""
    found: list[str] = []
    for name, text in texts:
        if "source" not in text:
            continue
        pattern = _JSON_SOURCE if name.lower().endswith(".json") else _HCL_SOURCE
        for source in pattern.findall(text):
            called = os.path.normpath(os.path.join(folder, source))
            if called != folder:
                found.append(called)
    return found
