"""Read the SARIF Multitool's verdict (it exits 0 either way) and fail on any error or warning."""

from __future__ import annotations

import json
import sys

verdict = json.load(open(sys.argv[1], encoding="utf-8"))
problems = [
    result
    for run in verdict.get("runs", [])
    for result in run.get("results", [])
    if result.get("level", "warning") in ("error", "warning")
]
for result in problems:
    message = result.get("message", {})
    print(f"{result.get('level', 'warning')}: {result.get('ruleId')}: {message.get('text') or message.get('arguments')}")
if problems:
    sys.exit(f"SARIF Multitool: {len(problems)} problems with resilint's SARIF")
print("SARIF Multitool: no errors or warnings")
