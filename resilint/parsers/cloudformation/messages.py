"""cfn-lint's decoder messages (PyYAML's, its own, or Python's JSON decoder's) in plain words."""

from __future__ import annotations

import re

_DECODE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"recursion|maximum nesting depth", re.I), "template is nested too deeply to analyse"),
    (re.compile(r"^Duplicate found (.+?)(?: \(line \d+\))?$"), "duplicate key {0}: a key may appear only once in a mapping"),
    (re.compile(r"^Null key (.+?)(?: \(line \d+\))?$"), "a key is empty (null); every key needs a name"),
    (re.compile(r"^Unhashable type", re.I), "a mapping or a list is used as a key; keys must be plain names "
     "(a short-form function such as !Sub inside [ ] or {{ }} takes its argument on the same line)"),
    (re.compile(r"end of stream"), "the file ends before the template is complete (truncated?)"),
    (re.compile(r"^Unterminated string"), "a string is never closed (a missing '\"')"),
    (re.compile(r"^mapping values are not allowed here"), "unexpected ':' (a value that contains ': ' must be quoted)"),
    (re.compile(r"^found undefined alias (.+)"), "the alias {0} names no anchor (&name) defined before it"),
    (re.compile(r"^Bad tag: (.+)"), "unsupported YAML tag {0}"),
)


def decode_message(message: str, char: str = "") -> str:
    """cfn-lint's parse error message, said plainly and without Python internals. `char` is the
    character at the error's position, when known."""
    message = message.strip()
    if "cannot start any token" in message:
        if char == "\t":
            return "a tab character: YAML is indented with spaces only"
        if char and not char.isprintable():
            return f"unexpected control character (U+{ord(char):04X})"
        return f"unexpected character '{char}'" if char else "unexpected character"
    for pattern, plain in _DECODE_MESSAGES:
        match = pattern.search(message)
        if match:
            return plain.format(*match.groups())
    message = re.sub(r"^Template could not be parsed: ", "", message)
    message = re.sub(r" \(line \d+\)$", "", message).split("\n")[0].strip().rstrip(".")
    if not message or "Traceback" in message or len(message) > 200:
        return "the template could not be parsed"
    return message


def _char_at(text: str, line: int, column: int | None) -> str:
    if column is None:
        return ""
    lines = text.split("\n", line)
    if line > len(lines):
        return ""
    row = lines[line - 1]
    return row[column - 1] if 0 < column <= len(row) else ""


