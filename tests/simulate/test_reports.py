"""The markdown report (Mermaid) and the self-contained HTML report, drawn by a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from resilint.simulate.report import Report, render
from resilint.simulate.report.layout import box_lines, label_lines
from resilint.simulate.report.svg import SPLIT, WRAP
from tests.simulate.helpers import EAST, simulated
from tests.simulate.png import pixels
from tests.simulate.test_objectives import FAILOVER, SINGLE

RED, GREEN = (0xC6, 0x28, 0x28), (0x2E, 0x7D, 0x32)


# Long addresses (a function inside nested modules, tables with long names) and a store no entry
# point reaches: the labels a small fixed box used to cut.
LONG = EAST + """
module "orders_service_with_a_long_name" {
  source = "./modules/service"
}

resource "aws_lambda_function_url" "public" {
  function_name      = module.orders_service_with_a_long_name.function_name
  authorization_type = "NONE"
}

resource "aws_dynamodb_table" "an_archive_table_that_nothing_in_this_system_reads_at_all" {
  name     = "archive"
  hash_key = "id"
}
"""
SERVICE = """
module "handler_of_the_orders_service" {
  source = "../handler"
}

output "function_name" {
  value = module.handler_of_the_orders_service.function_name
}
"""
HANDLER = """
resource "aws_dynamodb_table" "orders_placed_by_customers_of_the_shop_since_2019" {
  name     = "orders"
  hash_key = "id"
}

resource "aws_lambda_function" "handles_every_order_placed_through_the_public_url" {
  function_name = "orders"
  role          = "arn:aws:iam::111111111111:role/orders"
  environment {
    variables = {
      TABLE = aws_dynamodb_table.orders_placed_by_customers_of_the_shop_since_2019.name
    }
  }
}

output "function_name" {
  value = aws_lambda_function.handles_every_order_placed_through_the_public_url.function_name
}
"""


def _report(tmp_path: Path) -> Report:
    files = {
        "single/main.tf": SINGLE,
        "failover/main.tf": FAILOVER,
        "long/main.tf": LONG,
        "long/modules/service/main.tf": SERVICE,
        "long/modules/handler/main.tf": HANDLER,
    }
    return Report(simulation=simulated(tmp_path, files, "aws:us-east-1"))


def test_long_labels_break_at_dots_and_keep_both_ends() -> None:
    assert label_lines("aws_lb.web (us-east-1)", 40) == ["aws_lb.web (us-east-1)"]
    assert label_lines("module.orders.aws_dynamodb_table.orders_placed_by_customers (us-east-1)", 40) == [
        "module.orders.aws_dynamodb_table.",
        "orders_placed_by_customers (us-east-1)",
    ]
    # beyond three lines the start is left out, at a dot: the resource and the modules nearest it stay
    lines = label_lines("module.a_long_module_name.module.another_long_module.module.third_one.aws_lambda_function.handler_of_orders", 30)
    assert lines == ["…another_long_module.module.", "third_one.aws_lambda_function.", "handler_of_orders"]
    assert label_lines("x" * 100, 30) == ["…" + "x" * 29, "x" * 30, "x" * 30]


def test_long_labels_of_one_graph_stay_apart() -> None:
    """aws-samples/multi-region-resiliency-reference-implementation's settlement graph drew
    `module.settlement.module.…` over `aws_autoscaling_group.auto-scaling-group` in four boxes:
    the part left out was the module (core-processing, egress, ingress, reconciliation) that
    told them apart."""
    inner = ("core-processing.module.ecs2", "egress.module.ecs", "ingress.module.ecs", "reconciliation.module.ecs")
    labels = [f"module.settlement.module.{m}.aws_autoscaling_group.auto-scaling-group in primary (us-east-1)" for m in inner]
    drawn = [box_lines(label, WRAP, SPLIT) for label in labels]
    assert len({tuple(lines) for lines in drawn}) == len(labels)
    assert drawn[0] == ["…module.core-processing.module.ecs2.", "aws_autoscaling_group.auto-scaling-group", "in primary (us-east-1)"]
    assert all(len(line) <= WRAP for lines in drawn for line in lines)


def test_markdown_draws_a_flowchart_per_system(tmp_path: Path) -> None:
    text = render("markdown", _report(tmp_path))
    assert text.count("```mermaid\nflowchart LR") == 3
    assert 'subgraph loose["data no entry point reaches"]' in text
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
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="graph"') == 3
    assert 'data-state="down"' in page and 'fill="#c62828"' in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# Run in the page after it is drawn: every node's text must lie inside its box, and every box
# inside its picture. Only the test's copy of the report gets this script; the report has none.
MEASURE = """<script>
window.addEventListener("load", () => {
  const bad = [];
  let count = 0;
  for (const svg of document.querySelectorAll("svg.graph")) {
    const frame = svg.getBoundingClientRect();
    for (const node of svg.querySelectorAll("g.node")) {
      count += 1;
      const box = node.querySelector("rect").getBoundingClientRect();
      const text = node.querySelector("text").getBoundingClientRect();
      const label = node.querySelector("title").textContent;
      if (text.left < box.left || text.right > box.right || text.top < box.top || text.bottom > box.bottom) bad.push("text outside its box: " + label);
      if (box.left < frame.left || box.right > frame.right || box.bottom > frame.bottom) bad.push("box outside the picture: " + label);
    }
  }
  document.body.setAttribute("data-nodes", String(count));
  document.body.setAttribute("data-overflow", JSON.stringify(bad));
});
</script>"""


def _browser(tmp_path: Path) -> list[str]:
    return [
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


@pytest.mark.slow
# CI installs Chromium (.ci/run), so there its absence is a failure, never a skip.
@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)")
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    html = render("html", _report(tmp_path / "code"))
    page.write_text(html, encoding="utf-8")
    screenshot = tmp_path / "report.png"  # kept as the test's artefact
    browser = _browser(tmp_path)
    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    assert dom.count("<svg") == 3 and 'id="verdicts"' in dom  # the page rendered, graphs and table
    width, height, counts = pixels(screenshot)
    assert (width, height) == (1400, 1400)
    # the failed load balancer is drawn red, the standby that takes over green
    assert counts[RED] > 2000, counts.most_common(8)
    assert counts[GREEN] > 2000, counts.most_common(8)
    # Every label fits its box, as the browser lays it out with the fonts it has.
    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [*browser, "--virtual-time-budget=5000", "--dump-dom", measured.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    found = re.search(r'data-nodes="(\d+)" data-overflow="([^"]*)"', dom)
    assert found is not None, dom[:2000]
    assert int(found.group(1)) >= 12
    assert found.group(2) == "[]", found.group(2)


def test_a_chain_of_nested_causes_keeps_its_root() -> None:
    from resilint.simulate.status import brief

    chained = (
        "its region is not known (instance key is not known (for_each of module.x is not known "
        "(merge() of a map that is not known (function pathexpand() is not evaluated by resilint))))"
    )
    assert brief(chained) == "its region is not known (… function pathexpand() is not evaluated by resilint)"
    # one cause inside another reads well and is kept whole
    advice = 'its region is not known (the region of provider "aws" (main.tf:15) is not known: var.region has no value (give it a default))'
    assert brief(advice) == advice


def test_only_long_reasons_shared_by_several_rows_become_notes() -> None:
    from resilint.simulate.report.rows import Row, pointing, shared_reasons

    unset = "its region is not known (var.region has no value (give it a default, a .tfvars file, or --var))"

    def row(name: str, status: str, reason: str) -> Row:
        return Row(name, name, "u", "main.tf", 1, status, f"{name} → {status}: {reason}", (name,), reason)

    rows = [
        row("a", "unknown", unset),
        row("b", "unknown", unset),
        row("c", "down", "region us-east-1 failed"),
        row("d", "down", "region us-east-1 failed"),
        row("e", "unknown", "its region is not known (var.other has no value (give it a default, or --var))"),
    ]
    notes = shared_reasons(rows)
    assert notes == {unset: 1}
    assert [pointing(r, notes) for r in rows] == [
        "a → unknown [1]",
        "b → unknown [1]",
        "c → down: region us-east-1 failed",
        "d → down: region us-east-1 failed",
        rows[4].because,
    ]


def test_a_scenario_report_is_titled_by_the_scenario_and_lists_blocked_changes(tmp_path: Path) -> None:
    from resilint.simulate.scenarios import SCENARIOS

    scenario = SCENARIOS["aws-us-east-1-2025-10-20"]
    zone = 'resource "aws_route53_zone" "public" {\n  name = "example-shop.com"\n}\n'
    simulation = simulated(tmp_path, {"single/main.tf": SINGLE + zone}, *(t.text for t in scenario.parsed()))
    report = Report(simulation=simulation, scenario=scenario)

    page = render("html", report)
    assert "<title>resilint simulate: AWS us-east-1, 19-20 October 2025</title>" in page
    assert "<p>Failing: aws:acm-cloudfront-control-plane, aws:cloudfront-control-plane" in page
    assert "<th>change blocked</th>" in page and "<td>Route 53</td>" in page

    markdown = render("markdown", report)
    assert markdown.startswith("## resilint simulate: AWS us-east-1, 19-20 October 2025\n")
    assert "| change blocked | resources | effect |" in markdown
    assert "| Route 53 | aws_route53_zone.public, aws_route53_record.www | its 1 hosted zone and 1 record set" in markdown


# Run in the page after it is drawn: every note link leads to a note shown on the page, within it.
NOTES = """<script>
window.addEventListener("load", () => {
  const bad = [];
  const links = document.querySelectorAll("a.note-ref");
  for (const link of links) {
    const note = document.getElementById(link.getAttribute("href").slice(1));
    if (note === null) { bad.push("no note for " + link.getAttribute("href")); continue; }
    const box = note.getBoundingClientRect();
    if (box.height < 10 || box.right > document.documentElement.clientWidth) bad.push("note not shown in the page: " + note.id);
  }
  document.body.setAttribute("data-links", String(links.length));
  document.body.setAttribute("data-notes", JSON.stringify(bad));
});
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)")
def test_html_notes_render_in_headless_chromium(tmp_path: Path) -> None:
    from resilint.cli import main

    page = tmp_path / "notes.html"
    assert main(["simulate", "fixtures/simulate/shared_reasons", "--fail", "aws:us-east-1", "--format", "html", "--output", str(page), "--no-cache"]) == 0
    html = page.read_text(encoding="utf-8")
    screenshot = tmp_path / "notes.png"  # kept as the test's artefact
    browser = _browser(tmp_path)
    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    assert pixels(screenshot)[:2] == (1400, 1400)
    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", NOTES + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [*browser, "--virtual-time-budget=5000", "--dump-dom", measured.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    found = re.search(r'data-links="(\d+)" data-notes="([^"]*)"', dom)
    assert found is not None, dom[:2000]
    assert int(found.group(1)) == 4  # the summary table's row and the three parts that share the reason
    assert found.group(2) == "[]", found.group(2)


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)")
def test_html_draws_each_copy_of_a_stack_in_its_colour(tmp_path: Path) -> None:
    """A StackSet deploys the template to us-east-1 and eu-west-1: under us-east-1's failure the
    page draws the us-east-1 copy red and the eu-west-1 copy green, each box labelled with its
    region."""
    from resilint.cli import main

    page = tmp_path / "copies.html"
    fixture = "fixtures/simulate/stack_set_copies_latency"
    assert main(["simulate", fixture, "--fail", "aws:us-east-1", "--format", "html", "--output", str(page), "--no-cache"]) == 1
    browser = _browser(tmp_path)
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    app = f"{fixture}/app.yaml"
    drawn = set(re.findall(r'data-state="(\w+)"><title>(Domain in [^<]*): \w+</title>', dom))
    assert drawn == {("down", f"Domain in {app} (us-east-1)"), ("up", f"Domain in {app} (eu-west-1)")}
    screenshot = tmp_path / "copies.png"  # kept as the test's artefact
    subprocess.run([*browser, f"--screenshot={screenshot}", page.as_uri()], check=True, capture_output=True, timeout=120)
    _, _, counts = pixels(screenshot)
    assert counts[RED] > 2000 and counts[GREEN] > 2000, counts.most_common(8)
