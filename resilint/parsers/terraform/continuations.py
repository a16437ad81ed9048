"""Newlines inside parentheses, which HCL ignores and python-hcl2 7.x's grammar does not.

Terraform accepts an expression broken over lines inside parentheses with the operator first:

    mode = (
      startswith(var.path, "gs://")
      ? "gcs"
      : "local"
    )

python-hcl2's grammar rejects the `?` (amplify-education/python-hcl2#246, #142), so such a file
would be a parse error. `join_parenthesized_lines` rewrites the text so the grammar accepts it:
a newline whose innermost open bracket is `(` (or the bracket of a `for` expression) becomes a space (a comment before it becomes
spaces too), and as many newlines are added at the end of the line where the parenthesis
closes, so every line after it keeps its number. Strings, interpolations and heredocs are copied
as they are. The parser uses the rewritten text only for files it rejects as written.
"""

from __future__ import annotations

import re

_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\n")
_FOR = re.compile(r"\s*for\s")
_IGNORES_NEWLINES = frozenset({"(", "[for", "{for"})
_PLAIN = re.compile(r'[^"()\[\]{}<#/\n]+')
_PLAIN_IN_STRING = re.compile(r'[^\\"$%]+')


def join_parenthesized_lines(text: str) -> str | None:
    """The text with newlines inside parentheses joined, or None when it has none (or its
    brackets do not balance: the original error is the one to report)."""
    out: list[str] = []
    # Open brackets: "(", "[", "{", "${" for an interpolation, and "[for" / "{for" for a for
    # expression (whose newlines HCL ignores too).
    stack: list[str] = []
    pending = 0  # newlines joined and not yet given back
    joined = False
    i, n = 0, len(text)
    in_string = False
    while i < n:
        # runs of characters that change nothing here, copied at once (the loop below reads one
        # character at a time)
        plain = (_PLAIN_IN_STRING if in_string else _PLAIN).match(text, i)
        if plain is not None:
            out.append(plain.group())
            i = plain.end()
            if i >= n:
                break
        ch = text[i]
        if in_string:
            if ch == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            if ch == '"':
                in_string = False
            elif ch in "$%" and text.startswith("{", i + 1) and not (i > 0 and text[i - 1] == ch):
                stack.append("${")
                in_string = False
                out.append(text[i : i + 2])
                i += 2
                continue
            out.append(ch)
            i += 1
            continue
        inside_parens = bool(stack) and stack[-1] in _IGNORES_NEWLINES
        if ch == '"':
            in_string = True
        elif ch in "([{":
            stack.append(ch + "for" if ch != "(" and _FOR.match(text, i + 1) else ch)
        elif ch in ")]}":
            if not stack:
                return None
            top = stack.pop()
            if top == "${":
                if ch != "}":
                    return None
                in_string = True  # back in the string the interpolation is part of
            elif "([{".index(top[0]) != ")]}".index(ch):
                return None
        elif ch == "<" and text.startswith("<<", i):
            heredoc = _HEREDOC.match(text, i)
            if heredoc is not None:
                end = _heredoc_end(text, heredoc.end(), heredoc.group(1))
                out.append(text[i:end])
                i = end
                continue
        elif ch == "#" or (ch == "/" and text.startswith("//", i)):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i) if inside_parens else text[i:end])
            i = end
            continue
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            comment = text[i:end]
            if inside_parens:
                pending += comment.count("\n")
                comment = re.sub(r"[^\n]", " ", comment).replace("\n", " ")
            out.append(comment)
            i = end
            continue
        elif ch == "\n":
            if inside_parens:
                out.append(" ")
                pending += 1
                joined = True
            else:
                out.append("\n" * (1 + pending))
                pending = 0
            i += 1
            continue
        out.append(ch)
        i += 1
    if not joined:
        return None
    return "".join(out) + "\n" * pending


def _heredoc_end(text: str, start: int, name: str) -> int:
    """Where the heredoc whose content starts at `start` ends (after its closing line)."""
    at = start
    while at < len(text):
        end = text.find("\n", at)
        line = text[at:] if end < 0 else text[at:end]
        if line.strip() == name:
            return len(text) if end < 0 else end + 1
        if end < 0:
            break
        at = end + 1
    return len(text)
