"""Concurrent scans sharing one cache folder: what two pre-commit hooks, an editor integration and
a CI job on one machine do. Not a timed benchmark: it looks for races (an internal error, a run
that prints nothing, output bytes that differ from a scan run alone).

    python bench/stress.py [FOLDER] [--rounds 10] [--parallel 6] [--seed 1] [--mode cold ...]

Each round starts `--parallel` scans of FOLDER (default: the repository's fixtures) at once,
all with one RESILINT_CACHE_DIR, each picked at random from: a cold scan (`--no-cache`), a scan
through the cache (cold or warm, whatever the other runs left there), a scan of named files
(the file index), one with the cache folder emptied just before it starts, a scan in one
process or in worker processes, and scans writing their report to one shared `--output` file
(read back as soon as each run ends, while others may be writing it). Every run's output is compared with the same command's
output from a scan run alone, before the stress. Exit status 1 when any run differed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import environment, resilint_command  # noqa: E402


@dataclass(frozen=True)
class Mode:
    name: str
    arguments: tuple[str, ...]
    workers: str  # RESILINT_WORKERS
    clear_cache: bool = False
    shared_output: bool = False  # the report goes to one file every such run writes


def modes(folder: Path) -> list[Mode]:
    named = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tf") if ".terraform" not in p.parts)[:3]
    found = [
        Mode("cold", ("--no-cache",), "1"),
        Mode("cold-forked", ("--no-cache",), "2"),
        Mode("cached", (), "1"),
        Mode("cached-forked", (), "2"),
        Mode("cached-after-clear", (), "2", clear_cache=True),
        Mode("shared-report", ("--no-cache",), "1", shared_output=True),
    ]
    if named:
        found.append(Mode("named-files", tuple(named), "1"))
        found.append(Mode("named-files-no-cache", (*named, "--no-cache"), "1"))
    return found


def command(folder: Path, mode: Mode, report: Path) -> list[str]:
    paths = mode.arguments if mode.name.startswith("named") else (str(folder), *mode.arguments)
    output = ("--output", str(report)) if mode.shared_output else ()
    return [*resilint_command(), "--debug", "scan", *paths, "--format", "json", "--exit-zero", *output]


def output_of(mode: Mode, stdout: bytes, report: Path) -> bytes:
    if not mode.shared_output:
        return stdout
    try:
        return report.read_bytes()
    except OSError:
        return b""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?", default=HERE.parent / "fixtures")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--parallel", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", action="append", default=[], help="only these modes (repeat): cold, cached, named-files, shared-report...")
    args = parser.parse_args()
    pick = random.Random(args.seed)
    base = Path(tempfile.mkdtemp(prefix="resilint-stress-"))
    # A copy that is a repository of its own: named files are analysed in their repository.
    folder = base / "repo"
    shutil.copytree(args.folder, folder, symlinks=True)
    (folder / ".git").mkdir(exist_ok=True)
    cache = base / "cache"
    env = environment(cache)
    every = [m for m in modes(folder) if not args.mode or m.name in args.mode]
    expected: dict[str, tuple[int, str]] = {}
    for mode in every:  # each command alone, with a cache of its own
        alone = {**environment(base / f"alone-{mode.name}"), "RESILINT_WORKERS": "1"}
        done = subprocess.run(command(folder, mode, base / "alone.json"), capture_output=True, env=alone, cwd=folder)
        out = output_of(mode, done.stdout, base / "alone.json")
        if not out or b"internal error" in done.stderr:
            print(f"{mode.name} alone failed ({done.returncode}): {done.stderr.decode(errors='replace')}", file=sys.stderr)
            return 2
        expected[mode.name] = (done.returncode, digest(out))  # 2: the fixtures' parse errors
    failures: list[dict[str, object]] = []
    runs = 0
    for round_ in range(args.rounds):
        chosen = [pick.choice(every) for _ in range(args.parallel)]
        started = []
        for mode in chosen:
            if mode.clear_cache:
                shutil.rmtree(cache, ignore_errors=True)
            started.append(
                (
                    mode,
                    subprocess.Popen(
                        command(folder, mode, base / "shared.json"),
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        env={**env, "RESILINT_WORKERS": mode.workers},
                        cwd=folder,
                    ),
                )
            )
        for mode, process in started:
            stdout, err = process.communicate()
            out = output_of(mode, stdout, base / "shared.json")
            runs += 1
            text = err.decode(errors="replace")
            if (process.returncode, digest(out)) != expected[mode.name] or "internal error" in text or "Traceback" in text:
                failures.append(
                    {"round": round_, "mode": mode.name, "exit": process.returncode, "stdout_bytes": len(out), "stderr": text[-3000:]}
                )
    shutil.rmtree(base, ignore_errors=True)
    print(json.dumps({"folder": str(args.folder), "runs": runs, "failures": failures}, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
