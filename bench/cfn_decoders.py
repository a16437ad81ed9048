"""Differential check of resilint's CloudFormation decoder against cfn-lint's own.

For every CloudFormation template under the folders given (every YAML/JSON file resilint's
discovery takes for one; `--all`: every YAML/JSON file), decodes the text twice: with
`resilint.parsers.cfn_decoder.decode_str` (templates built by `cfn_construct` from libyaml's
nodes, cfn-lint for the rest) and with cfn-lint's `decode_str` alone. Both results must be the
same: the same template (types, values, key order, the line and column of every node's start and
end marks and the attributes cfn-lint's nodes carry) or the same error matches (message, line,
column). Also says how many files the fast constructor built and why it left the others to
cfn-lint, and the CPU time of each decoder over all the files.

    python bench/cfn_decoders.py /tmp/speed-corpus/aws-cloudformation-templates /tmp/precision-root

Exit status 1 when any file differs (the first differences are printed).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIP_FOLDERS = {".git", "node_modules", ".terraform", "__pycache__", ".venv"}
MAX_BYTES = 1 << 20


def files_under(folders: list[Path]) -> Iterator[Path]:
    for folder in folders:
        for root, dirs, names in os.walk(folder, followlinks=True):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
            for name in sorted(names):
                if name.endswith(SUFFIXES):
                    yield Path(root) / name


def difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two decoded values differ (None: they are the same)."""
    if type(a) is not type(b):
        return f"{path or '/'}: {type(a).__name__} vs {type(b).__name__}"
    attributes_a = getattr(a, "__dict__", None)
    attributes_b = getattr(b, "__dict__", None)
    if (attributes_a is None) != (attributes_b is None):
        return f"{path or '/'}: attributes"
    if attributes_a is not None and attributes_b is not None:
        if sorted(attributes_a) != sorted(attributes_b):
            return f"{path or '/'}: attributes {sorted(attributes_a)} vs {sorted(attributes_b)}"
        for name, value in attributes_a.items():
            other = attributes_b[name]
            if name.endswith("_mark"):
                if (value.line, value.column) != (other.line, other.column):
                    return f"{path or '/'}: {name} {value.line}:{value.column} vs {other.line}:{other.column}"
            elif name != "yaml_aliases" and value != other:
                return f"{path or '/'}: {name} {value!r} vs {other!r}"
    if isinstance(a, dict):
        keys_a, keys_b = list(a), list(b)
        if keys_a != keys_b:
            return f"{path or '/'}: keys {keys_a[:5]} vs {keys_b[:5]}"
        for key_a, key_b in zip(keys_a, keys_b, strict=True):
            found = difference(key_a, key_b, f"{path}/<key {key_a!s}>") or difference(a[key_a], b[key_b], f"{path}/{key_a!s}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path or '/'}: {len(a)} vs {len(b)} items"
        for index, (item_a, item_b) in enumerate(zip(a, b, strict=True)):
            found = difference(item_a, item_b, f"{path}/{index}")
            if found:
                return found
        return None
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return None
    return None if a == b else f"{path or '/'}: {a!r} vs {b!r}"


def matches_of(matches: list[Any]) -> list[tuple[str, int, int]]:
    return [(str(m.message), int(m.linenumber), int(m.columnnumber)) for m in matches]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=10, help="differences printed (default 10)")
    parser.add_argument("--all", action="store_true", help="every YAML/JSON file, not only templates")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))

    from resilint.discover import sniff
    from resilint.parsers import cfn_construct, cfn_decoder

    texts: list[tuple[Path, str]] = []
    for path in files_under(args.folders):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) > MAX_BYTES:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if args.all or sniff(text, path.name) == "cloudformation":
            texts.append((path, text))
    cfn_decoder.decode_with_cfn_lint("a: 1")  # load the decoder outside the timings
    outcomes: Counter[str] = Counter()
    differences: list[str] = []
    fast_cpu = cfn_lint_cpu = 0.0
    nodes = cfn_decoder._loaded().nodes
    for path, text in texts:
        started = time.process_time()
        try:
            mine: Any = cfn_decoder.decode_str(text)
        except RecursionError:
            mine = "RecursionError"
        fast_cpu += time.process_time() - started
        started = time.process_time()
        try:
            theirs: Any = cfn_decoder.decode_with_cfn_lint(text)
        except RecursionError:
            theirs = "RecursionError"
        cfn_lint_cpu += time.process_time() - started
        try:
            cfn_construct.construct(text, nodes)
            outcomes["built by cfn_construct"] += 1
        except cfn_construct.Unusual as why:
            outcomes[f"left to cfn-lint: {why}"] += 1
        except Exception as error:
            outcomes[f"left to cfn-lint: {type(error).__name__}"] += 1
        if isinstance(mine, str) or isinstance(theirs, str):
            found = None if mine == theirs else f"{mine!r} vs {theirs!r}"
        elif mine[1] or theirs[1]:
            found = None if matches_of(mine[1]) == matches_of(theirs[1]) else f"errors {matches_of(mine[1])[:2]} vs {matches_of(theirs[1])[:2]}"
        else:
            found = difference(mine[0], theirs[0])
        if found:
            differences.append(f"{path}: {found}")
    print(f"{len(texts)} {'files' if args.all else 'templates'}")
    for outcome, count in sorted(outcomes.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:6d}  {outcome}")
    print(f"CPU: resilint's decode_str {fast_cpu:.2f} s, cfn-lint's {cfn_lint_cpu:.2f} s ({fast_cpu / max(cfn_lint_cpu, 1e-9):.2f}x)")
    print(f"{len(differences)} files differ")
    for line in differences[: args.show]:
        print("  " + line)
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
