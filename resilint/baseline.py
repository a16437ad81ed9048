"""Baselines: adopt resilint in a large estate and fail only on new findings.

`--write-baseline FILE` records the fingerprints of today's findings; `--baseline FILE` hides the
findings whose fingerprint is recorded (as many times as it was recorded), so moving lines,
renaming nothing and adding unrelated resources keep old findings hidden while new ones show.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from resilint import __version__
from resilint.findings import Finding

FORMAT = "resilint-baseline/1"


class BaselineError(Exception):
    pass


def write(path: Path, findings: Iterable[Finding]) -> int:
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path, "resource": f.resource} for f in findings),
        key=lambda e: (e["path"], e["rule_id"], e["resource"] or "", e["fingerprint"]),
    )
    document = {"format": FORMAT, "tool_version": __version__, "findings": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> Counter[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path} is not a resilint baseline (write one with --write-baseline)")
    return Counter(str(e.get("fingerprint")) for e in document["findings"] if isinstance(e, dict))


def filter_new(findings: Iterable[Finding], known: Counter[str]) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many were hidden."""
    remaining = Counter(known)
    new, hidden = [], 0
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            hidden += 1
        else:
            new.append(finding)
    return new, hidden
