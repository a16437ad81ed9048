"""A rule's documentation page, rendered from its metadata and docstring: `resilint explain`
prints it and docs/rules/<ID>.md stores it (a test keeps the two identical)."""

from __future__ import annotations

import re
from pathlib import Path

from resilint.rule import Rule


def rule_page(rule: Rule) -> str:
    sections = rule.sections
    example, use_instead = _split_example(sections.get("Example", ""))
    parts = [
        f"# {rule.id} {rule.name}",
        f"{rule.summary}.",
        f"Default severity: **{rule.severity.value}**" + (f". Tags: {', '.join(rule.tags)}." if rule.tags else "."),
        "## What it checks\n\n" + sections.get("What it does", ""),
        "## Why it matters\n\n" + sections.get("Why is this bad?", ""),
    ]
    if example:
        parts.append("## Example\n\n" + example)
    fix = f"{rule.fix}."
    if use_instead:
        fix += "\n\n" + use_instead
    parts.append("## Fix\n\n" + fix)
    for heading, body in sections.items():
        if heading not in ("What it does", "Why is this bad?", "Example", "References"):
            parts.append(f"## {heading}\n\n{body}")
    parts.append("## References\n\n" + sections.get("References", ""))
    return "\n\n".join(p.strip() for p in parts) + "\n"


def _split_example(text: str) -> tuple[str, str]:
    """The failing example, and what to write instead (after a `Use instead:` line)."""
    match = re.search(r"^Use instead:?\s*$", text, re.MULTILINE)
    if match is None:
        inline = re.search(r"^Use instead:\s*(.+)$", text, re.MULTILINE | re.DOTALL)
        if inline is not None:
            return text[: inline.start()].strip(), inline.group(1).strip()
        return text.strip(), ""
    return text[: match.start()].strip(), text[match.end() :].strip()


def write_pages(folder: Path, rules: list[Rule]) -> list[Path]:
    """Write docs/rules/<ID>.md for every rule and an index; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in sorted(rules, key=lambda r: r.id):
        path = folder / f"{rule.id}.md"
        path.write_text(rule_page(rule), encoding="utf-8")
        written.append(path)
    index = folder / "README.md"
    index.write_text(rule_index(rules), encoding="utf-8")
    written.append(index)
    return written


def rule_index(rules: list[Rule]) -> str:
    lines = ["# Rules", "", "| ID | name | severity | summary |", "|---|---|---|---|"]
    for rule in sorted(rules, key=lambda r: r.id):
        lines.append(f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m resilint.docs docs/rules
    import sys

    from resilint.registry import load_rules

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    builtin = [r for r in load_rules().rules if r.origin.startswith(("resilint.", "resilint_rules."))]
    for written_path in write_pages(target, builtin):
        print(written_path)
