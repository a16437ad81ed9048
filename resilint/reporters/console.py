"""The interactive side of the terminal: whether to use colour, and a progress display for scans
that take more than about a second.

Colour follows the conventions other command-line tools share: `--color always|never` wins;
otherwise a non-empty `NO_COLOR` turns it off (no-color.org), a non-empty `FORCE_COLOR` other than
`0`/`false` turns it on (`FORCE_COLOR=0` off), `TERM=dumb` and CI turn it off, and a terminal
turns it on. `CI=false` (or `0`) is not CI."""

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


_FALSE = ("0", "false", "no", "off")
COLOR_CHOICES = ("auto", "always", "never")


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a CI system runs us: one of its variables set to something other than false."""
    return any(environ.get(name, "").strip().lower() not in ("", *_FALSE) for name in _CI_VARIABLES)


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def is_interactive(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """A person at a terminal (for the progress display): a TTY, not CI, not TERM=dumb, and no
    NO_COLOR."""
    if environ.get("NO_COLOR"):
        return False
    if in_ci(environ) or environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def use_colour(choice: str, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour output written to `stream`, for `--color auto|always|never`."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):
        return False
    forced = environ.get("FORCE_COLOR")
    if forced:
        return forced.strip().lower() not in _FALSE
    if environ.get("TERM") == "dumb" or in_ci(environ):
        return False
    return _isatty(stream)


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
