"""Settings of one scan: what the command line (and later configuration files) decide."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from resilint.rule import Severity

# Findings of these rules are shown even when --select names other rules: a file that could not
# be read, or a rule that crashed, means the selected rules did not see everything.
ALWAYS_REPORTED = ("RES001", "RES002")

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    severity: dict[str, Severity] = Field(default_factory=dict)  # per-rule overrides
    rules_dirs: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()  # glob patterns, matched against paths relative to the scan root
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES

    def is_enabled(self, rule_id: str) -> bool:
        if any(_matches(rule_id, code) for code in self.ignore):
            return False
        if not self.select or rule_id in ALWAYS_REPORTED:
            return True
        return any(_matches(rule_id, code) for code in self.select)

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        return self.severity.get(rule_id, default)


def _matches(rule_id: str, code: str) -> bool:
    """`RES3` selects RES301..RES399; `RES302` only itself; `ALL` everything."""
    return code == "ALL" or rule_id.startswith(code)


def unknown_codes(codes: tuple[str, ...], rule_ids: set[str]) -> list[str]:
    """Codes in --select/--ignore that name no rule, even as a prefix."""
    return [c for c in codes if c != "ALL" and not any(r.startswith(c) for r in rule_ids)]
