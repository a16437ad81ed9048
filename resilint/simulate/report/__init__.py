"""Reports of a simulation: `text` for people, `json` (the machine contract), `markdown` (with
a Mermaid flowchart per system) and `html` (one self-contained page with an inline SVG graph).
Every reporter takes a `Report` and returns the whole text; the output is deterministic."""

from __future__ import annotations

from dataclasses import dataclass

from resilint.simulate.objectives import Cell, Unchecked
from resilint.simulate.scenarios import Scenario
from resilint.simulate.verdicts import Simulation

FORMATS = ("text", "json", "markdown", "html")


@dataclass(frozen=True)
class Report:
    simulation: Simulation | None = None  # None for an objectives run
    scenario: Scenario | None = None
    cells: tuple[Cell, ...] = ()  # the objectives matrix
    objectives: bool = False
    unchecked: tuple[Unchecked, ...] = ()  # objective words that stand for no failure of a system


def render(fmt: str, report: Report) -> str:
    from importlib import import_module

    module = import_module(f"resilint.simulate.report.{fmt}_report")
    text: str = module.render(report)
    return text
