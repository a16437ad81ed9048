"""Reading JSON source text (plans, .tf.json, .tfvars.json) with errors in plain words.

Python's JSON decoder says "Expecting ',' delimiter: line 3 column 5 (char 41)"; a person wants
"expected ',' between two items" at line 3, column 5, and "the file ends before the JSON is
complete" when a file was cut short. It also raises plain ValueError (not JSONDecodeError) for
an integer of more than 4300 digits, and RecursionError for deep nesting: both end here too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from resilint.parsers.guards import paused_gc

_MESSAGES = (
    ("Expecting value", "expected a value (a string, number, object, list, true, false or null)"),
    ("Expecting ',' delimiter", "expected ',' between two items, or the end of the object or list"),
    ("Expecting ':' delimiter", "expected ':' after the key"),
    ("Expecting property name enclosed in double quotes", "expected a key in double quotes (JSON allows no trailing commas or comments)"),
    ("Illegal trailing comma", "a trailing ',' before the end of an object or list"),
    ("Unterminated string", "a string is never closed (a missing '\"')"),
    ("Invalid control character", "a raw control character (such as a tab or a new line) inside a string; write it as an escape (\\t, \\n)"),
    ("Invalid \\uXXXX escape", "an invalid \\u escape in a string (\\u needs four hexadecimal digits)"),
    ("Invalid \\escape", "an invalid escape in a string (a backslash must start \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)"),
    ("Extra data", "unexpected text after the end of the JSON value"),
)
_LONG_NUMBER = re.compile(r"\d{4301,}")
# Objects and lists inside each other; the same bound as HCL's, for the same reason: every level
# costs frames in the converters and the evaluator behind the decoder.
MAX_JSON_DEPTH = 128


class JsonTextError(Exception):
    def __init__(self, message: str, line: int = 1, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def load_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The decoded value, or JsonTextError with a plain message and the position."""
    if not text.strip():
        raise JsonTextError("the file is empty: expected a JSON object")
    try:
        with paused_gc():
            value = json.loads(text)
    except json.JSONDecodeError as exc:
        if not text[exc.pos :].strip() and exc.msg != "Extra data":
            line = text.count("\n", 0, len(text.rstrip())) + 1
            raise JsonTextError("the file ends before the JSON is complete (truncated?)", line) from None
        raise JsonTextError(plain_message(exc.msg), exc.lineno, exc.colno) from None
    except RecursionError:
        raise JsonTextError(f"nested more than {max_depth} levels deep; not analysed") from None
    except ValueError as exc:  # an integer too long to convert (Python's 4300-digit limit)
        found = _LONG_NUMBER.search(text)
        if found is None:
            raise JsonTextError("a value could not be read") from exc
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        digits = len(found.group())
        raise JsonTextError(f"a number of {digits:,} digits is too long to read", line, column) from None
    if _depth_exceeds(value, max_depth):
        raise JsonTextError(f"nested more than {max_depth} levels deep; not analysed")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def plain_message(msg: str) -> str:
    for prefix, plain in _MESSAGES:
        if msg.startswith(prefix):
            return plain
    return msg.split(":")[0].strip() or "invalid JSON"
