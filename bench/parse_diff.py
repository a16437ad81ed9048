"""Differential check of the Terraform parse: tree-sitter (tree_syntax.py) against python-hcl2's
Lark grammar (the reference), on every .tf, .tofu, .tfvars and .hcl file under the given folders.

    python bench/parse_diff.py FOLDER... [--show 10] [--fallbacks]

For each file it reads the text as a scan does and parses it both ways: `syntax.parse_hcl_lark`
(python-hcl2 alone) and `syntax.parse_hcl` (tree-sitter, falling back to Lark when tree-sitter's
tree has an error or holds something python-hcl2 reads otherwise). The two must give the same
nodes, values and positions (compared by repr, so 1 and 1.0 and True differ), or the same error
message, line and column. It reports every difference, how many files tree-sitter read itself and
how many it left to Lark (`--fallbacks` lists those), and the CPU time of each path. Exit status 1
when any file differs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from resilint.parsers.terraform import syntax, tree_syntax  # noqa: E402
from resilint.sources import decode_text  # noqa: E402

SUFFIXES = (".tf", ".tofu", ".tfvars", ".hcl")


def outcome(parse: object, text: str) -> str:
    try:
        return repr(parse(text))  # type: ignore[operator]
    except syntax.HclSyntaxError as exc:
        return f"error {exc.message!r} at {exc.line}:{exc.column}"
    except Exception as exc:  # noqa: BLE001 - the reference's own failures are outcomes too
        return f"exception {type(exc).__name__}: {exc}"


def files_under(folders: list[str]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        for root, dirs, names in os.walk(folder, followlinks=True):
            dirs[:] = sorted(d for d in dirs if d not in (".git", ".terraform", ".terragrunt-cache"))
            found.extend(Path(root) / n for n in sorted(names) if n.lower().endswith(SUFFIXES))
    return found


def first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"lark: ...{a[max(0, at - 80) : at + 120]}\n      tree-sitter: ...{b[max(0, at - 80) : at + 120]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--show", type=int, default=10, help="differences to print in full")
    parser.add_argument("--fallbacks", action="store_true", help="list the files left to Lark")
    args = parser.parse_args()
    if tree_syntax._parser() is None:
        print("tree-sitter is not installed: nothing to compare", file=sys.stderr)
        return 2
    files = files_under(args.folders)
    differences: list[tuple[Path, str, str]] = []
    fallbacks: list[Path] = []
    lark_time = tree_time = 0.0
    read = 0
    for path in files:
        try:
            decoded = decode_text(path.read_bytes(), str(path))
        except OSError:
            continue
        if not isinstance(decoded, str):
            continue
        read += 1
        started = time.process_time()
        reference = outcome(syntax.parse_hcl_lark, decoded)
        lark_time += time.process_time() - started
        started = time.process_time()
        tree = outcome(syntax.parse_hcl, decoded)
        tree_time += time.process_time() - started
        if tree_syntax.parse_body(decoded) is None:
            fallbacks.append(path)
        if tree != reference:
            differences.append((path, reference, tree))
    print(f"{read} files: {read - len(fallbacks)} read by tree-sitter, {len(fallbacks)} left to Lark, {len(differences)} differ")
    print(f"CPU: Lark path {lark_time:.2f} s, tree-sitter path (with its fallbacks) {tree_time:.2f} s")
    if args.fallbacks:
        for path in fallbacks:
            print(f"  left to Lark: {path}")
    for path, reference, tree in differences[: args.show]:
        print(f"DIFFERS: {path}\n      {first_difference(reference, tree)}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
