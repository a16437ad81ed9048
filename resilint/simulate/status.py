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


def brief(reason: str) -> str:
    """A reason whose causes nest in parentheses three levels deep or more, with the middle left out:
    `its region is not known (instance key is not known (for_each of x is not known (function
    pathexpand() is not evaluated by resilint)))` reads `its region is not known (… function
    pathexpand() is not evaluated by resilint)`: what is not known, and the cause at the root."""
    text = reason.replace("()", "\0")  # a function's empty parentheses are no nesting
    depth = deepest = start = 0
    inner = ""
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth >= deepest:
                deepest, start = depth, index + 1
        elif char == ")":
            if depth == deepest:
                inner = text[start:index]  # the last of the deepest: the root cause
            depth -= 1
    if deepest < 3:  # one cause inside another reads well; a chain of them does not
        return reason
    head = text[: text.index("(")].rstrip()
    return f"{head} (… {inner})".replace("\0", "()")


def worst(statuses: list[Status]) -> Status:
    """The worst status; among equals the first (callers pass them in a stable order)."""
    found = UP
    for status in statuses:
        if RANK[status.state] > RANK[found.state]:
            found = status
    return found
