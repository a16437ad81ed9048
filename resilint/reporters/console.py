"""The interactive side of the terminal: whether to use colour, and a progress display for scans
that take more than about a second."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

# Set by the CI systems people use; any of them means "not a person at a terminal".
_CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD", "CIRCLECI")
PROGRESS_DELAY_SECONDS = 1.0


def is_interactive(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour and progress only for a person at a terminal: a TTY, not CI, and no NO_COLOR."""
    if environ.get("NO_COLOR"):
        return False
    if any(environ.get(name) for name in _CI_VARIABLES):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width() -> int:
    return max(shutil.get_terminal_size((100, 24)).columns, 40)


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """Yields `say(text)`. When enabled, a spinner on stderr appears if the work is still going
    after PROGRESS_DELAY_SECONDS, shows the latest text, and vanishes when the work is done."""
    if not enabled:
        yield lambda text: None
        return
    from rich.console import Console

    status = Console(file=sys.stderr).status("resilint: starting")
    lock = threading.Lock()
    state = {"started": False, "done": False}

    def start() -> None:
        with lock:
            if not state["done"]:
                status.start()
                state["started"] = True

    timer = threading.Timer(PROGRESS_DELAY_SECONDS, start)
    timer.daemon = True
    timer.start()
    try:
        yield lambda text: status.update(f"resilint: {text}")
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["started"]:
                status.stop()
