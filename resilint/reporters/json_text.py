"""JSON text indented by two spaces: exactly the bytes of `json.dumps(value, indent=2,
ensure_ascii=False)`, written faster.

With `indent`, the standard library's C encoder is not used (CPython before 3.13): the pure-Python
encoder's generators cost about a fifth of a second per 7,000 findings (with `model_dump`), all
of it in the one process that writes the report after every worker is done. Two things make it
cheaper, each giving the same bytes:

- `model_texts`: pydantic writes each model's JSON in Rust (`model_dump_json(indent=2)`), with
  the same layout, escapes and key order as `json.dumps` of `model_dump(mode="json")` for models
  whose fields are strings, integers, None, enums of strings and tuples of them, as findings'
  are (floats are spelt differently: never given to it). A model it cannot write (a lone
  surrogate in a path) is written by `json.dumps`. `JsonItems` holds such texts: a list the
  writer copies in, each item indented to where it stands.
- `indented` walks everything else with plain loops and escapes strings with the standard
  library's C function. It takes the plain values `model_dump(mode="json")` gives (dicts with
  string keys, lists, tuples, strings, numbers, booleans, None); anything else makes it hand the
  whole value to `json.dumps`, so the text is always the standard library's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C function when available (ensure_ascii=False)
from typing import Any

from pydantic import BaseModel

_INFINITY = float("inf")


class _Unsupported(Exception):
    """A value this writer does not spell: json.dumps writes the whole document."""


@dataclass(frozen=True)
class JsonItems:
    """A list whose items are JSON texts already written, indented by two spaces from column 0
    (`model_texts`); `indented` writes it as `json.dumps` writes the list of their values."""

    texts: Sequence[str]


def model_texts(models: Iterable[BaseModel]) -> JsonItems:
    """Each model as `json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False)`
    writes it, for models with no float anywhere in them (see the module's docstring)."""
    texts = []
    for model in models:
        try:
            texts.append(model.model_dump_json(indent=2))
        except ValueError:  # pydantic cannot encode it as UTF-8 (a lone surrogate): json.dumps can
            texts.append(json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return JsonItems(texts)


def indented(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, where a `JsonItems` stands for the
    list of its texts' values."""
    chunks: list[str] = []
    try:
        _Writer(chunks.append).value(value, "\n")
    except _Unsupported:
        return json.dumps(value, indent=2, ensure_ascii=False, default=_plain)
    return "".join(chunks)


def _plain(value: Any) -> Any:
    if isinstance(value, JsonItems):
        return [json.loads(text) for text in value.texts]
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value == _INFINITY:
            return "Infinity"
        if value == -_INFINITY:
            return "-Infinity"
        return float.__repr__(value)
    raise _Unsupported


class _Writer:
    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.keys: dict[str, str] = {}  # a key as written, with its colon: findings repeat a few

    def value(self, value: Any, newline: str) -> None:
        kind = type(value)
        if kind is dict:
            self.dict(value, newline)
        elif kind is list or kind is tuple:
            self.list(value, newline)
        elif kind is JsonItems:
            self.items(value, newline)
        else:
            self.write(_scalar(value))

    def dict(self, value: dict[Any, Any], newline: str) -> None:
        write = self.write
        if not value:
            write("{}")
            return
        keys = self.keys
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:  # json.dumps turns numbers and None into keys: leave it to it
                raise _Unsupported
            written = keys.get(key)
            if written is None:
                written = keys[key] = encode_basestring(key) + ": "
            kind = type(item)
            if kind is str:
                write(separator + written + encode_basestring(item))
            elif kind is dict or kind is list or kind is tuple or kind is JsonItems:
                write(separator + written)
                self.value(item, inner)
            else:
                write(separator + written + _scalar(item))
            separator = "," + inner
        write(newline + "}")

    def list(self, value: list[Any] | tuple[Any, ...], newline: str) -> None:
        write = self.write
        if not value:
            write("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            kind = type(item)
            if kind is str:
                write(separator + encode_basestring(item))
            elif kind is dict or kind is list or kind is tuple or kind is JsonItems:
                write(separator)
                self.value(item, inner)
            else:
                write(separator + _scalar(item))
            separator = "," + inner
        write(newline + "]")

    def items(self, value: JsonItems, newline: str) -> None:
        if not value.texts:
            self.write("[]")
            return
        inner = newline + "  "  # JSON texts hold no newline but their layout's: indent them all
        self.write("[" + inner + ("," + inner).join(text.replace("\n", inner) for text in value.texts) + newline + "]")
