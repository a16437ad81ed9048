"""JSON text indented by two spaces: exactly the bytes of `json.dumps(value, indent=2,
ensure_ascii=False)`, written faster.

With `indent`, the standard library's C encoder is not used (CPython before 3.13): the pure-Python
encoder's generators cost about a fifth of a second per 7,000 findings (with `model_dump`), all
of it in the one process that writes the report after every worker is done. Two things make it
cheaper, each giving the same bytes:

- `JsonModels`: pydantic writes each model's JSON in Rust (`model_dump_json(indent=2)`), with
  the same layout, escapes and key order as `json.dumps` of `model_dump(mode="json")` for models
  whose fields are strings, integers, None, enums of strings and tuples of them, as findings'
  are (floats are spelt differently: never given to it). A model it cannot write (a lone
  surrogate in a path) is written by `json.dumps`. The writer copies each text in, indented to
  where the list stands.
- `indented` walks everything else with plain loops and escapes strings with the standard
  library's C function. It takes the plain values `model_dump(mode="json")` gives (dicts with
  string keys, lists, tuples, strings, numbers, booleans, None); anything else makes it hand the
  whole value to `json.dumps`, so the text is always the standard library's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C function when available (ensure_ascii=False)
from typing import Any

from pydantic import BaseModel

_INFINITY = float("inf")


class _Unsupported(Exception):
    """A value this writer does not spell: json.dumps writes the whole document."""


@dataclass(frozen=True)
class JsonModels:
    """A list of models that `indented` writes as `json.dumps` writes their
    `model_dump(mode="json")`, each model's text made by pydantic as it is written (none is
    kept: a report's texts held at once cost a one-process scan's peak memory 7 % at 10x the
    generated monorepo). For models with no float anywhere in them (see the module's docstring)."""

    models: Sequence[BaseModel]

    def texts(self) -> Iterator[str]:
        """Each model's JSON, indented by two spaces from column 0."""
        for model in self.models:
            try:
                yield model.model_dump_json(indent=2)
            except ValueError:  # pydantic cannot encode it as UTF-8 (a lone surrogate): json.dumps can
                yield json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False)


def indented(value: Any, end: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False) + end`, where a `JsonModels` stands for
    the list of its models' `model_dump(mode="json")`."""
    chunks: list[str] = []
    try:
        _Writer(chunks.append).value(value, "\n")
    except _Unsupported:
        return json.dumps(value, indent=2, ensure_ascii=False, default=_plain) + end
    chunks.append(end)  # not text + end: a copy of the whole report more at the peak
    return "".join(chunks)


def _plain(value: Any) -> Any:
    if isinstance(value, JsonModels):
        return [model.model_dump(mode="json") for model in value.models]
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
        elif kind is JsonModels:
            self.models(value, newline)
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
            elif kind is dict or kind is list or kind is tuple or kind is JsonModels:
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
            elif kind is dict or kind is list or kind is tuple or kind is JsonModels:
                write(separator)
                self.value(item, inner)
            else:
                write(separator + _scalar(item))
            separator = "," + inner
        write(newline + "]")

    def models(self, value: JsonModels, newline: str) -> None:
        if not value.models:
            self.write("[]")
            return
        inner = newline + "  "  # JSON texts hold no newline but their layout's: indent them all
        separator = "[" + inner
        for text in value.texts():
            self.write(separator + text.replace("\n", inner))
            separator = "," + inner
        self.write(newline + "]")
