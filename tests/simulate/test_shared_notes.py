"""A long reason several parts of one system share is written once, as a numbered note the rows
point to, in the text, Markdown and HTML reports alike (JSON keeps the whole reason on every
row: it is read by programs). fixtures/simulate/shared_reasons: a root whose region comes from a
variable nothing sets."""

from __future__ import annotations

import json
import re

import pytest

from resilint.cli import main

FIXTURE = "fixtures/simulate/shared_reasons"
UNSET = (
    'its region is not known (the region of provider "aws" (fixtures/simulate/shared_reasons/main.tf:7) is not known: '
    "var.region has no value (give it a default, a .tfvars file, or --var))"
)
SESSIONS = "aws_dynamodb_table.sessions (us-east-1) → down: region us-east-1 failed; no copy of its data survives: lost"


def simulate(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    main(["simulate", FIXTURE, "--fail", "aws:us-east-1", "--format", fmt, "--no-cache"])
    out: str = capsys.readouterr().out
    return out


def test_text_numbers_the_shared_reason_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert simulate(capsys, "text") == (
        "failing: aws:us-east-1\n"
        "\n"
        f"{FIXTURE}: unknown\n"
        "  entry  unknown   aws_lb.web → unknown [1]\n"
        "  data   unknown   aws_db_instance.orders → unknown [1]\n"
        f"  data   down      {SESSIONS}\n"
        "  data   unknown   aws_sqs_queue.emails → unknown [1]\n"
        f"  [1] {UNSET}\n"
        "\n"
        "1 system: 0 up, 0 degraded, 0 down, 1 unknown\n"
    )


def test_markdown_writes_the_shared_reason_once_under_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = simulate(capsys, "markdown")
    section = out[out.index(f"### {FIXTURE}: unknown") : out.index("```mermaid")]
    assert section == (
        f"### {FIXTURE}: unknown\n"
        "\n"
        "| part | status | because |\n"
        "|---|---|---|\n"
        "| aws_lb.web | unknown | aws_lb.web → unknown [1] |\n"
        "| aws_db_instance.orders | unknown | aws_db_instance.orders → unknown [1] |\n"
        f"| aws_dynamodb_table.sessions | down | {SESSIONS} |\n"
        "| aws_s3_bucket.archive | up | aws_s3_bucket.archive (us-west-2) → up |\n"
        "| aws_sqs_queue.emails | unknown | aws_sqs_queue.emails → unknown [1] |\n"
        "\n"
        f"- **[1]** {UNSET}\n"
        "\n"
    )
    assert out.count(UNSET) == 2  # the note, and the summary table's one row for the system


def test_html_links_each_row_to_the_note(capsys: pytest.CaptureFixture[str]) -> None:
    page = simulate(capsys, "html")
    escaped = UNSET.replace('"', "&quot;")
    assert page.count(escaped) == 1  # written once, in the note
    link = '<a class="note-ref" href="#s1-note-1" aria-label="see note 1">[1]</a>'
    rows = re.findall(r"<td class='because'>(.*?)</td>", page)
    assert rows == [
        f"aws_lb.web → unknown {link}",  # the summary table: the system's reason is the note's
        f"aws_lb.web → unknown {link}",
        f"aws_db_instance.orders → unknown {link}",
        SESSIONS,
        "aws_s3_bucket.archive (us-west-2) → up",
        f"aws_sqs_queue.emails → unknown {link}",
    ]
    assert (
        '</table>\n<ol class="notes" aria-label="reasons several parts share">'
        f'<li id="s1-note-1"><span class="note-number">[1]</span>{escaped}</li></ol>\n</section>'
    ) in page


def test_json_keeps_the_whole_reason_on_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    (system,) = json.loads(simulate(capsys, "json"))["systems"]
    unknown = [r for r in [*system["entry_points"], *system["data"]] if r["status"] == "unknown"]
    assert [r["because"] for r in unknown] == [f"{r['resource']} → unknown: {UNSET}" for r in unknown]
    assert len(unknown) == 3


def test_notes_are_numbered_per_system_with_ids_unique_in_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    main(["simulate", "fixtures/example", FIXTURE, "--fail", "aws:us-east-1", "--format", "html", "--no-cache"])
    page = capsys.readouterr().out
    ids = re.findall(r'<li id="([^"]+)">', page)
    assert ids == ["s1-note-1", "s3-note-1"]  # the example's stack, its root (no shared reason), this fixture
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets == set(ids)
