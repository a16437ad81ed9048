"""Benchmarks for resilint: against Checkov on the same folder, scaling on a synthetic monorepo,
and a pre-commit style single-file run. A script, not a timed test: machines are shared and
noisy, so every figure is a ratio or a median measured in one run, with runs alternated.

    python bench/run.py checkov DIR [--rounds 5] [--checkov checkov]
    python bench/run.py scale [--scales 1 4 16] [--rounds 3]
    python bench/run.py precommit [--rounds 10]
    python bench/run.py simulate [--scale 2] [--rounds 3]
    python bench/run.py all DIR

Peak memory is the maximum resident set size of the measured process (getrusage of a child).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOV_ARGS = ["--framework", "terraform", "--check", "CKV_AWS_157", "--skip-download", "--quiet", "--compact"]
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(elapsed, peak, done.returncode)\n"
)


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB on Linux) of one run of `command`."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=cwd,
    ).stdout.split()
    return float(out[0]), int(out[1])


def resilint_command() -> list[str]:
    found = shutil.which("resilint")
    return [found] if found else [sys.executable, "-m", "resilint"]


def supports(flag: str) -> bool:
    text = subprocess.run([*resilint_command(), "scan", "--help"], capture_output=True, text=True).stdout
    return flag in text


def environment(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["RESILINT_CACHE_DIR"] = str(cache_dir)
    env.pop("CI", None)
    # As installed: bytecode cached (pip compiles it; an environment that forbids writing it
    # would charge every run the compilation of every module, for both tools).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def machine() -> str:
    cpus = os.cpu_count()
    return f"{platform.machine()}, {cpus} cores, Python {platform.python_version()}, {platform.system()}"


def cmd_checkov(folder: Path, rounds: int, checkov: str) -> dict[str, object]:
    cache = Path(tempfile.mkdtemp(prefix="resilint-bench-cache-"))
    env = environment(cache)
    cold_flags = ["--no-cache"] if supports("--no-cache") else []
    resilint_cold = [*resilint_command(), "scan", str(folder), "--format", "json", *cold_flags]
    resilint_warm = [*resilint_command(), "scan", str(folder), "--format", "json"]
    checkov_cmd = [checkov, "-d", str(folder), *CHECKOV_ARGS]
    measure(resilint_warm, env)  # fill the cache once; the first Checkov run warms its imports
    measure(checkov_cmd, env)
    times: dict[str, list[float]] = {"resilint_cold": [], "resilint_warm": [], "checkov": []}
    peaks: dict[str, list[int]] = {k: [] for k in times}
    for _ in range(rounds):  # alternate, so drift in machine load hits every tool alike
        for name, command in (("checkov", checkov_cmd), ("resilint_cold", resilint_cold), ("resilint_warm", resilint_warm)):
            seconds, peak = measure(command, env)
            times[name].append(seconds)
            peaks[name].append(peak)
    shutil.rmtree(cache, ignore_errors=True)
    median = {k: statistics.median(v) for k, v in times.items()}
    return {
        "folder": str(folder),
        "rounds": rounds,
        "median_seconds": {k: round(v, 3) for k, v in median.items()},
        "peak_rss_mib": {k: round(max(v) / 1024, 1) for k, v in peaks.items()},
        "checkov_over_resilint_cold": round(median["checkov"] / median["resilint_cold"], 1),
        "checkov_over_resilint_warm": round(median["checkov"] / median["resilint_warm"], 1),
        "cold_over_warm": round(median["resilint_cold"] / median["resilint_warm"], 2),
    }


def count_resources(folder: Path) -> int:
    code = (
        "import sys; from pathlib import Path; from resilint.discover import discover; "
        "from resilint.parsers import ParseOptions, build_project; "
        "d = discover([Path(sys.argv[1])]); "
        "print(sum(len(u.resources) for u in build_project(d.files, d.problems, ParseOptions()).units))"
    )
    return int(subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True).stdout)


def cmd_scale(scales: list[int], rounds: int) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    from synth import generate

    base = Path(tempfile.mkdtemp(prefix="resilint-bench-synth-"))
    cache = base / "cache"
    env = environment(cache)
    cold_flags = ["--no-cache"] if supports("--no-cache") else []
    rows = []
    for scale in scales:
        folder = base / f"x{scale}"
        info = generate(folder, scale)
        resources = count_resources(folder)
        cold = [*resilint_command(), "scan", str(folder), "--format", "json", *cold_flags]
        warm = [*resilint_command(), "scan", str(folder), "--format", "json"]
        measure(warm, env)
        cold_runs, warm_runs, peaks = [], [], []
        for _ in range(rounds):
            seconds, peak = measure(cold, env)
            cold_runs.append(seconds)
            peaks.append(peak)
            warm_runs.append(measure(warm, env)[0])
        cold_median = statistics.median(cold_runs)
        rows.append(
            {
                "scale": scale,
                "files": info["files"],
                "resources": resources,
                "cold_seconds": round(cold_median, 3),
                "warm_seconds": round(statistics.median(warm_runs), 3),
                "cold_ms_per_resource": round(1000 * cold_median / resources, 3),
                "peak_rss_mib": round(max(peaks) / 1024, 1),
            }
        )
    shutil.rmtree(base, ignore_errors=True)
    first = rows[0]["cold_ms_per_resource"]
    for row in rows:
        row["per_resource_vs_1x"] = round(row["cold_ms_per_resource"] / first, 2)  # type: ignore[operator]
    return {"rounds": rounds, "rows": rows}


def cmd_precommit(rounds: int) -> dict[str, object]:
    """`resilint scan CHANGED_FILE` in a small repository, as the pre-commit hook runs it."""
    sys.path.insert(0, str(HERE))
    from synth import generate

    base = Path(tempfile.mkdtemp(prefix="resilint-bench-precommit-"))
    repo = base / "repo"
    generate(repo, 1)
    # pre-commit runs in a git repository, and resilint reads a named file in its repository.
    if shutil.which("git") is None or subprocess.run(["git", "init", "-q", str(repo)], check=False).returncode != 0:
        (repo / ".git").mkdir(exist_ok=True)
    changed = repo / "team000" / "live" / "svc1" / "main.tf"
    env = environment(base / "cache")
    command = [*resilint_command(), "scan", str(changed), "--format", "json"]
    measure(command, env, cwd=repo)
    runs = [measure(command, env, cwd=repo)[0] for _ in range(rounds)]
    version = [measure([*resilint_command(), "--version"], env)[0] for _ in range(rounds)]
    shutil.rmtree(base, ignore_errors=True)
    return {
        "rounds": rounds,
        "single_file_median_seconds": round(statistics.median(runs), 3),
        "version_median_seconds": round(statistics.median(version), 3),
    }


def cmd_simulate(scale: int, rounds: int) -> dict[str, object]:
    """`resilint simulate --objectives` with `survive = ["any-region"]` over every system of the
    generated monorepo (every single-region failure of every system) against a scan of it;
    both cold (--no-cache) and warm, alternated. The goal is at most 2x the scan."""
    sys.path.insert(0, str(HERE))
    from synth import generate

    base = Path(tempfile.mkdtemp(prefix="resilint-bench-simulate-"))
    folder = base / "repo"
    info = generate(folder, scale)
    # Outside the scanned folder, named only by simulate: the scan runs without objectives.
    config = base / "objectives.toml"
    config.write_text('[[objectives]]\nsystems = ["*"]\nsurvive = ["any-region"]\n', encoding="utf-8")
    env = environment(base / "cache")
    units = json.loads(subprocess.run([*resilint_command(), "systems", str(folder), "--format", "json"], capture_output=True, text=True, env=env, check=True).stdout)
    checks = json.loads(
        subprocess.run(
            [*resilint_command(), "simulate", str(folder), "--objectives", "--config", str(config), "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    )["summary"]["checks"]
    commands = {
        "scan_cold": [*resilint_command(), "scan", str(folder), "--format", "json", "--no-cache"],
        "simulate_cold": [*resilint_command(), "simulate", str(folder), "--objectives", "--config", str(config), "--format", "json", "--no-cache"],
        "scan_warm": [*resilint_command(), "scan", str(folder), "--format", "json"],
        "simulate_warm": [*resilint_command(), "simulate", str(folder), "--objectives", "--config", str(config), "--format", "json"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(measure(command, env)[0])
    shutil.rmtree(base, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "scale": scale,
        "files": info["files"],
        "units": sum(len(s["units"]) for s in units["systems"]) if isinstance(units, dict) and "systems" in units else None,
        "region_failure_checks": checks,
        "rounds": rounds,
        "median_seconds": {name: round(value, 3) for name, value in median.items()},
        "simulate_over_scan_cold": round(median["simulate_cold"] / median["scan_cold"], 2),
        "simulate_over_scan_warm": round(median["simulate_warm"] / median["scan_warm"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    checkov = commands.add_parser("checkov")
    checkov.add_argument("folder", type=Path)
    checkov.add_argument("--rounds", type=int, default=5)
    checkov.add_argument("--checkov", default="checkov")
    scale = commands.add_parser("scale")
    scale.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16])
    scale.add_argument("--rounds", type=int, default=3)
    precommit = commands.add_parser("precommit")
    precommit.add_argument("--rounds", type=int, default=10)
    simulate = commands.add_parser("simulate")
    simulate.add_argument("--scale", type=int, default=2, help="synth.py scale (2: about 200 units)")
    simulate.add_argument("--rounds", type=int, default=3)
    everything = commands.add_parser("all")
    everything.add_argument("folder", type=Path)
    everything.add_argument("--checkov", default="checkov")
    args = parser.parse_args()

    result: dict[str, object] = {"machine": machine()}
    if args.command in ("checkov", "all"):
        result["checkov"] = cmd_checkov(args.folder, getattr(args, "rounds", 5), args.checkov)
    if args.command in ("scale", "all"):
        result["scale"] = cmd_scale(getattr(args, "scales", [1, 4, 16]), getattr(args, "rounds", 3))
    if args.command in ("precommit", "all"):
        result["precommit"] = cmd_precommit(getattr(args, "rounds", 10))
    if args.command == "simulate":
        result["simulate"] = cmd_simulate(args.scale, args.rounds)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
