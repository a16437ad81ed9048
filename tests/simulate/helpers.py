"""Build a project from Terraform written in the test and simulate failures over it."""

from __future__ import annotations

from pathlib import Path

from resilint.discover import discover
from resilint.model import Project
from resilint.parsers import ParseOptions, build_project
from resilint.simulate.status import Status
from resilint.simulate.targets import parse
from resilint.simulate.verdicts import Simulation, SystemVerdict, simulate
from tests.conftest import write

EAST = 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n\n'


def project(root: Path, files: dict[str, str]) -> Project:
    write(root, files)
    found = discover([root], (), 1 << 24)
    built = build_project(found.files, found.problems, ParseOptions())
    assert not built.problems, built.problems
    return built


def simulated(root: Path, files: dict[str, str], *targets: str) -> Simulation:
    return simulate(project(root, files), [parse(t) for t in targets])


def only(simulation: Simulation) -> SystemVerdict:
    (system,) = simulation.systems
    return system


def entry(simulation: Simulation, name: str) -> Status:
    for judged in only(simulation).entries:
        if judged.node.label == name:
            return judged.status
    raise AssertionError(f"no entry point {name}: {[j.node.label for j in only(simulation).entries]}")


def data(simulation: Simulation, address: str) -> Status:
    for judged in only(simulation).data:
        if judged.node.label == address:
            return judged.status
    raise AssertionError(f"no data {address}")
