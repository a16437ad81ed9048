"""The markdown report (Mermaid) and the self-contained HTML report, drawn by a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from resilint.simulate.report import Report, render
from tests.simulate.helpers import simulated
from tests.simulate.png import pixels
from tests.simulate.test_objectives import FAILOVER, SINGLE

RED, GREEN = (0xC6, 0x28, 0x28), (0x2E, 0x7D, 0x32)


def _report(tmp_path: Path) -> Report:
    return Report(simulation=simulated(tmp_path, {"single/main.tf": SINGLE, "failover/main.tf": FAILOVER}, "aws:us-east-1"))


def test_markdown_draws_a_flowchart_per_system(tmp_path: Path) -> None:
    text = render("markdown", _report(tmp_path))
    assert text.count("```mermaid\nflowchart LR") == 2
    assert re.search(r'n\d+\["aws_lb.web \(us-east-1\)"\]:::down', text)
    assert re.search(r'n\d+\["aws_lb.standby \(us-west-2\)"\]:::up', text)
    assert "classDef down fill:#c62828" in text and "classDef up fill:#2e7d32" in text and "classDef unknown fill:#9e9e9e" in text
    assert "| system | verdict | because |" in text
    # The same input gives the same bytes: two runs over copies in sibling folders differ only by
    # the folder's name (paths are shown relative to the working directory, wherever it is).
    first = render("markdown", _report(tmp_path / "run-one"))
    second = render("markdown", _report(tmp_path / "run-two"))
    assert first.count("run-one") > 0
    assert second.replace("run-two", "run-one") == first


def test_html_is_self_contained(tmp_path: Path) -> None:
    page = render("html", _report(tmp_path))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="graph"') == 2
    assert 'data-state="down"' in page and 'fill="#c62828"' in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
# CI installs Chromium (.ci/run), so there its absence is a failure, never a skip.
@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)")
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render("html", _report(tmp_path / "code")), encoding="utf-8")
    screenshot = tmp_path / "report.png"  # kept as the test's artefact
    browser = [
        str(_chromium()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        "--window-size=1400,1400",
    ]
    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    assert dom.count("<svg") == 2 and 'id="verdicts"' in dom  # the page rendered, graph and table
    width, height, counts = pixels(screenshot)
    assert (width, height) == (1400, 1400)
    # the failed load balancer is drawn red, the standby that takes over green
    assert counts[RED] > 2000, counts.most_common(8)
    assert counts[GREEN] > 2000, counts.most_common(8)
