"""The ids of the engine's own rules, defined once: every module that names one imports it
from here (their metadata and documentation are in `engine_rules`)."""

from __future__ import annotations

PARSE_ERROR_ID = "RES001"  # a file could not be read or parsed
INTERNAL_ERROR_ID = "RES002"  # a rule or plugin failed
UNUSED_SUPPRESSION_ID = "RES003"  # a suppression that silences nothing
MALFORMED_SUPPRESSION_ID = "RES005"  # a suppression written so that it silences nothing

ENGINE_RULE_IDS = frozenset({PARSE_ERROR_ID, INTERNAL_ERROR_ID, UNUSED_SUPPRESSION_ID, MALFORMED_SUPPRESSION_ID})

# Findings of these rules are shown even when --select names other rules (and no severity filter,
# exclusion or baseline hides them): a file that could not be read, or a rule that crashed, means
# the selected rules did not see everything.
ALWAYS_REPORTED = (PARSE_ERROR_ID, INTERNAL_ERROR_ID)
