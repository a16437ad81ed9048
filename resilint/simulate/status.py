"""The status of one node of the graph under a set of failures, and how it explains itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["up", "degraded", "unknown", "down"]
STATES: tuple[State, ...] = ("up", "degraded", "unknown", "down")
# Worse last: one needed part down makes the whole down whatever else is unknown; an unknown
# part makes an otherwise serving whole unknown.
RANK: dict[str, int] = {state: rank for rank, state in enumerate(STATES)}
ARROW = " → "


@dataclass(frozen=True)
class Status:
    """`state` with the `reason` of its last step and the `trail` of node labels that leads
    from the node judged to where the reason arises."""

    state: State
    reason: str = ""
    trail: tuple[str, ...] = ()

    def via(self, label: str) -> Status:
        """The same status seen from a node that needs this one."""
        return Status(self.state, self.reason, (label, *self.trail))

    @property
    def because(self) -> str:
        """`www.orders-shop.io → aws_lb.web (us-east-1) → down: region failed`."""
        last = f"{self.state}: {self.reason}" if self.reason else self.state
        return ARROW.join((*self.trail, last))


UP = Status("up")


def worst(statuses: list[Status]) -> Status:
    """The worst status; among equals the first (callers pass them in a stable order)."""
    found = UP
    for status in statuses:
        if RANK[status.state] > RANK[found.state]:
            found = status
    return found
