"""The HTML graph of a system of several units names each unit relative to the folder they
share (the full name stays in the box's title and in the tables), and a label that names its
unit puts the unit on lines of its own: boxes stay narrow enough for the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.simulate.report.layout import box_lines, common_folder, shortener

REPO = Path(__file__).resolve().parents[2]


def test_the_common_folder_of_a_systems_units() -> None:
    assert common_folder(["infra/prod/us-east-1/app", "infra/prod/us-west-2/app"]) == "infra/prod/"
    assert common_folder(["stacks/app.yaml", "stacks/data.yaml"]) == "stacks/"
    # each unit keeps its own last part, even when one unit is the folder of another
    assert common_folder(["infra", "infra/dr"]) == ""
    assert common_folder(["infra/app", "infra/app/dr"]) == "infra/"
    assert common_folder(["app", "dr"]) == ""
    assert common_folder(["infra/prod/app"]) == ""  # one unit: its labels name no unit


def test_labels_name_units_relative_to_the_common_folder() -> None:
    units = ["infra/prod/app", "infra/prod/app2", "infra/prod/dr"]
    short = shortener(units, "infra/prod/")
    assert short("aws_lb.web in infra/prod/app (us-east-1)") == "aws_lb.web in app (us-east-1)"
    assert short("aws_lb.web in infra/prod/app2") == "aws_lb.web in app2"  # not app + "2"
    assert short("aws_lb.web in infra/prod/dr") == "aws_lb.web in dr"
    assert short("api.example.com") == "api.example.com"
    assert short("aws_lb.web in infra/prod/application") == "aws_lb.web in infra/prod/application"  # no such unit
    assert shortener(units, "")("aws_lb.web in infra/prod/app") == "aws_lb.web in infra/prod/app"


def test_a_long_label_puts_its_unit_on_lines_of_its_own() -> None:
    assert box_lines("Fleet in app.yaml (us-east-1)", 40, 24) == ["Fleet", "in app.yaml (us-east-1)"]
    assert box_lines("Web in app.yaml", 40, 24) == ["Web in app.yaml"]  # short enough for one line
    assert box_lines("aws_lb.web (us-east-1)", 40, 24) == ["aws_lb.web (us-east-1)"]  # names no unit
    lines = box_lines("module.a_long_module_name.module.another.aws_lambda_function.handler in services/orders/eu", 30, 24)
    assert lines[-1] == "in services/orders/eu" and len(lines) <= 4 and all(len(line) <= 30 for line in lines)


def test_the_html_graph_draws_short_labels_and_keeps_the_full_ones(tmp_path: Path) -> None:
    page = tmp_path / "copies.html"
    fixture = "fixtures/simulate/stack_copies_failover"
    assert main(["simulate", fixture, "--fail", "aws:us-east-1", "--format", "html", "--output", str(page), "--no-cache"]) == 0
    html = page.read_text(encoding="utf-8")
    assert f"Units are named relative to <code>{fixture}/</code> in the graph" in html
    drawn = re.findall(r"<title>(Web in [^<]*): (\w+)</title>.*?<text[^>]*>(.*?)</text>", html)
    assert [(title, state, re.sub(r"<[^>]+>", "|", text).strip("|")) for title, state, text in drawn] == [
        (f"Web in {fixture}/app.yaml (us-east-1)", "down", "Web||in app.yaml (us-east-1)"),
        (f"Web in {fixture}/app.yaml (us-west-2)", "degraded", "Web||in app.yaml (us-west-2)"),
    ]
    # The table names each part in full.
    assert f"<td class='part'>Orders in {fixture.replace('.', '.<wbr>')}/data.<wbr>yaml</td>" in html


def test_a_system_of_one_unit_has_no_note(tmp_path: Path) -> None:
    page = tmp_path / "one.html"
    assert main(["simulate", "fixtures/simulate/shared_reasons", "--fail", "aws:us-east-1", "--format", "html", "--output", str(page), "--no-cache"]) == 0
    assert "graph-note" not in page.read_text(encoding="utf-8").split("</style>")[1]


# Run in the page after it is drawn: the widest graph must fit the window, with its text
# inside the boxes.
FITS = """<script>
window.addEventListener("load", () => {
  const bad = [];
  const width = document.documentElement.clientWidth;
  for (const frame of document.querySelectorAll(".graph-frame")) {
    if (frame.scrollWidth > frame.clientWidth + 1) bad.push("the graph scrolls: " + frame.scrollWidth + " > " + frame.clientWidth);
    for (const node of frame.querySelectorAll("g.node")) {
      const box = node.querySelector("rect").getBoundingClientRect();
      const text = node.querySelector("text").getBoundingClientRect();
      const label = node.querySelector("title").textContent;
      if (box.right > width) bad.push("box beyond the window: " + label);
      if (text.left < box.left || text.right > box.right) bad.push("text outside its box: " + label);
    }
  }
  document.body.setAttribute("data-fits", JSON.stringify(bad));
});
</script>"""


@pytest.mark.slow
def test_the_graph_of_a_stack_and_its_copies_fits_a_1280_pixel_window(tmp_path: Path) -> None:
    from tests.simulate.test_reports import _browser, _chromium

    if _chromium() is None:
        import os

        if not os.environ.get("CI"):
            pytest.skip("Chromium is not installed (.ci/run installs it)")
    page = tmp_path / "copies.html"
    assert main(["simulate", "fixtures/simulate/stack_copies_failover", "--fail", "aws:us-east-1", "--format", "html", "--output", str(page), "--no-cache"]) == 0
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", FITS + "</body>"), encoding="utf-8")
    browser = [*_browser(tmp_path)[:-1], "--window-size=1280,1300"]
    screenshot = tmp_path / "copies.png"  # kept as the test's artefact
    import subprocess

    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    dom = subprocess.run(
        [*browser, "--virtual-time-budget=5000", "--dump-dom", measured.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    found = re.search(r'data-fits="([^"]*)"', dom)
    assert found is not None, dom[:2000]
    assert found.group(1) == "[]", found.group(1)


def test_the_mermaid_chart_draws_the_same_short_labels(tmp_path: Path) -> None:
    page = tmp_path / "copies.md"
    fixture = "fixtures/simulate/stack_copies_failover"
    assert main(["simulate", fixture, "--fail", "aws:us-east-1", "--format", "markdown", "--output", str(page), "--no-cache"]) == 0
    markdown = page.read_text(encoding="utf-8")
    assert f"_Units are named relative to `{fixture}/` in the chart; the table gives the full name._" in markdown
    chart = markdown.split("```mermaid", 1)[1].split("```", 1)[0]
    assert '["Web in app.yaml (us-east-1)"]:::down' in chart
    assert '["Orders in data.yaml (us-east-1)"]:::degraded' in chart
    assert fixture not in chart
    assert f"| Orders in {fixture}/data.yaml | degraded |" in markdown  # the table names it in full
