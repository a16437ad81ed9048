"""Terraform's built-in functions that matter for resolving placement and configuration.

Each takes evaluated arguments. Unless a function is marked `accepts_unknown`, the evaluator
returns Unknown without calling it when any argument holds an Unknown. Functions that depend on
the outside world (`file`, `timestamp`, `uuid`...) are absent: their results are unknown.

The functions that match patterns use `regex` (re's syntax, plus a time limit per match: Python's
re can backtrack for hours), imported at their first call: a warm scan evaluates nothing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import json
import math
import posixpath
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from resilint.model import (
    Unknown,
    UnknownDocument,
    UnknownList,
    UnknownText,
    UnknownZone,
    ZoneList,
    text_key,
    unknown_call,
    unknown_text,
)
from resilint.parsers.terraform.evaluate import (
    MAX_VALUE_SIZE,
    STOPPED_REGEX,
    BudgetExceeded,
    EvalError,
    PartialMap,
    finalize,
    has_unknown,
    list_parts,
    partial_list,
    to_number,
    to_string,
    type_name,
    unknown_from,
)

FUNCTIONS: dict[str, Callable[..., Any]] = {}
# The most characters or elements a function may produce from small arguments (setproduct,
# separators, replacements): the evaluator checks sizes only before and after a call.
MAX_OUTPUT = MAX_VALUE_SIZE * 16


def _bounded(name: str, size: int) -> None:
    if size > MAX_OUTPUT:
        raise BudgetExceeded(f"{name}() would build a value too large to evaluate statically")
# Terraform's regular expressions are RE2's, which never backtrack; ours do, so a pattern such as
# (a|aa)+$ on a long string is stopped here and its result is unknown.
REGEX_SECONDS = 0.1


def function(
    name: str, accepts_unknown: bool = False, symbolic: Callable[..., Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function. `symbolic`, for one that does not accept unknowns: what it gives
    when an argument is not known and no zone form decides it (None: a plain unknown)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.accepts_unknown = accepts_unknown  # type: ignore[attr-defined]
        fn.symbolic = symbolic  # type: ignore[attr-defined]
        FUNCTIONS[name] = fn
        return fn

    return register


def _list(value: Any, fn: str) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    raise EvalError(f"{fn}() needs a list, got a {type_name(value)}")


def _map(value: Any, fn: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"{fn}() needs a map or object, got a {type_name(value)}")


# Strings ----------------------------------------------------------------------------------


def _same_call(name: str, numbers: tuple[int, ...] = ()) -> Callable[..., Any]:
    """The symbolic result of a pure function whose arguments are not all known: the same
    function of the same texts and unknowns is the same value (`lower(var.env)` twice), so an
    `UnknownCall`; None when an argument has no identity. The function's parameters are
    strings (those at the positions `numbers`: numbers), so a known number or bool argument is
    the text Terraform converts it to (`substr(var.id, 0, 8)` is `substr(var.id, "0", "8")`)."""

    def symbolic(*args: Any) -> Any:
        keys = [_as_text(arg, at in numbers) for at, arg in enumerate(args)]
        return unknown_call(f"{name}() of a value that is not known ({unknown_from(*args).reason})", name, keys)

    return symbolic


def _as_text(value: Any, number: bool) -> Any:
    """A known scalar argument as the text Terraform converts it to for a string parameter (a
    number parameter: numbers only); anything else as it is (`unknown_call` judges it)."""
    if isinstance(value, bool) and not number or isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_string(value)
    return value


@function("lower", symbolic=_same_call("lower"))
def _lower(value: Any) -> str:
    return to_string(value).lower()


@function("upper", symbolic=_same_call("upper"))
def _upper(value: Any) -> str:
    return to_string(value).upper()


@function("title", symbolic=_same_call("title"))
def _title(value: Any) -> str:
    return to_string(value).title()


# Cuts one known edge string of a text (True: the start): None when the cut is not decided.
Cut = Callable[[str, bool], str | None]


def _trimmed_text(name: str, value: Any, cut: Cut, sides: tuple[bool, ...], *more: Any) -> Any:
    """A trim function of a text whose edges are known (`UnknownText` parts): the known edge
    strings cut as the function cuts them, when what it removes is decided by the known text
    alone (`trimsuffix("${var.domain}.", ".")` is `var.domain`); else an `UnknownCall` (the
    same function of the same arguments) or None. `sides` are the edges the function cuts
    (True: the start); `cut(edge, at_start)` gives the edge string cut, or None when the cut
    could reach into the unknown part beside it."""
    if isinstance(value, UnknownText) and not any(has_unknown(m) for m in more):
        parts = list(value.parts)
        for at_start in sides:
            index = 0 if at_start else len(parts) - 1
            edge = parts[index]
            cut_edge = cut(edge, at_start) if isinstance(edge, str) else None
            if cut_edge is None:
                break
            parts[index] = cut_edge
        else:
            return unknown_text(value.reason, parts)
    return _same_call(name)(value, *more)


def _symbolic_trimspace(value: Any) -> Any:
    return _trimmed_text("trimspace", value, _strip_edge(None), (True, False))


@function("trimspace", symbolic=_symbolic_trimspace)
def _trimspace(value: Any) -> str:
    return to_string(value).strip()


def _strip_edge(chars: str | None) -> Cut:
    """Cut a known edge string as strip() does: decided when something is left of it (the
    strip stops inside the known text), not when all of it goes (it would go on into the
    unknown part beside it)."""

    def cut(edge: str, at_start: bool) -> str | None:
        left = edge.lstrip(chars) if at_start else edge.rstrip(chars)
        return left or None

    return cut


def _symbolic_trim(value: Any, chars: Any) -> Any:
    known = _known_text(chars)
    if known is None:
        return _same_call("trim")(value, chars)
    return _trimmed_text("trim", value, _strip_edge(known), (True, False), chars)


@function("trim", symbolic=_symbolic_trim)
def _trim(value: Any, chars: Any) -> str:
    return to_string(value).strip(to_string(chars))


def _known_text(value: Any) -> str | None:
    """A known argument of a string parameter as its text; None when it is not known."""
    return None if has_unknown(value) else to_string(value)


def _prefix_edge(prefix: str) -> Cut:
    """trimprefix() on the first known string of a text: the prefix cut when the string starts
    with it, nothing cut when the string rules it out; None when the string is shorter than the
    prefix and could begin it (the unknown part after it decides)."""

    def cut(edge: str, at_start: bool) -> str | None:
        if not prefix:
            return edge
        if edge.startswith(prefix):
            return edge[len(prefix) :]
        return None if prefix.startswith(edge) else edge

    return cut


def _suffix_edge(suffix: str) -> Cut:
    """trimsuffix() on the last known string of a text, as `_prefix_edge` on the first."""

    def cut(edge: str, at_start: bool) -> str | None:
        if not suffix:
            return edge
        if edge.endswith(suffix):
            return edge[: len(edge) - len(suffix)]
        return None if suffix.endswith(edge) else edge

    return cut


def _symbolic_trimprefix(value: Any, prefix: Any) -> Any:
    known = _known_text(prefix)
    if known is None:
        return _same_call("trimprefix")(value, prefix)
    return _trimmed_text("trimprefix", value, _prefix_edge(known), (True,), prefix)


def _symbolic_trimsuffix(value: Any, suffix: Any) -> Any:
    known = _known_text(suffix)
    if known is None:
        return _same_call("trimsuffix")(value, suffix)
    return _trimmed_text("trimsuffix", value, _suffix_edge(known), (False,), suffix)


@function("trimprefix", symbolic=_symbolic_trimprefix)
def _trimprefix(value: Any, prefix: Any) -> str:
    text, p = to_string(value), to_string(prefix)
    return text[len(p) :] if p and text.startswith(p) else text


@function("trimsuffix", symbolic=_symbolic_trimsuffix)
def _trimsuffix(value: Any, suffix: Any) -> str:
    text, x = to_string(value), to_string(suffix)
    return text[: -len(x)] if x and text.endswith(x) else text


@function("replace", symbolic=_same_call("replace"))
def _replace(value: Any, search: Any, replacement: Any) -> str:
    text, pattern, repl = to_string(value), to_string(search), to_string(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        import regex

        try:
            return regex.sub(pattern[1:-1], re.sub(r"\$(\d+)", r"\\\1", repl), text, timeout=REGEX_SECONDS)
        except TimeoutError:
            return STOPPED_REGEX  # type: ignore[return-value]
    matches = text.count(pattern) if pattern else len(text) + 1
    _bounded("replace", len(text) + matches * len(repl))
    return text.replace(pattern, repl)


@function("substr", symbolic=_same_call("substr", numbers=(1, 2)))
def _substr(value: Any, offset: Any, length: Any) -> str:
    text, start, count = to_string(value), int(to_number(offset)), int(to_number(length))
    if start < 0:
        start += len(text)
    return text[start:] if count < 0 else text[start : start + count]


_FORMAT_VERB = re.compile(r"%%|%[-+ #0-9.]*[sdfgeqvt]")


def _format_text(spec: Any, *args: Any) -> Any:
    """format() when an argument is not known: a known format whose unknown arguments are
    written by a plain `%s`/`%v` and each have an identity (`format("arn:aws:s3:::%s",
    var.name)`) gives the text built from them (`UnknownText`), as a template would; None
    otherwise (the result is a plain unknown)."""
    if has_unknown(spec):
        return None
    parts: list[Any] = []
    values = list(args)
    at = 0
    template = to_string(spec)
    for match in _FORMAT_VERB.finditer(template):
        parts.append(template[at : match.start()])
        at = match.end()
        verb = match.group(0)
        if verb == "%%":
            parts.append("%")
        elif not values:
            return None
        elif not has_unknown(values[0]):
            parts.append(_format(verb, values.pop(0)))
        elif verb in ("%s", "%v"):
            parts.append(values.pop(0))
        else:
            return None
    parts.append(template[at:])
    return unknown_text(unknown_from(*args).reason, parts)


def _symbolic_format(spec: Any, *args: Any) -> Any:
    """format() of values not all known: the text it builds (`_format_text`), else the same
    call of the same arguments (`format("%q", var.name)` twice). Its arguments take any type
    (`%#v` writes a number and a string differently), so a known number has no identity here."""
    text = _format_text(spec, *args)
    return text if text is not None else unknown_call(f"format() of a value that is not known ({unknown_from(*args).reason})", "format", (spec, *args))


@function("format", symbolic=_symbolic_format)
def _format(spec: Any, *args: Any) -> str:
    template = to_string(spec)
    values = list(args)

    def substitute(match: re.Match[str]) -> str:
        verb = match.group(0)
        if any(int(n) > 1000 for n in re.findall(r"\d+", verb)):
            raise EvalError("format(): width or precision too large")
        if verb == "%%":
            return "%"
        if not values:
            raise EvalError("format(): not enough arguments")
        value = values.pop(0)
        if verb.endswith("d"):
            return verb % int(to_number(value))
        if verb.endswith(("f", "g", "e")):
            return verb % float(to_number(value))
        if verb.endswith("q"):
            return json.dumps(to_string(value))
        if verb.endswith("v") and not isinstance(value, (str, int, float, bool)):
            return json.dumps(value)
        return to_string(value)

    return _FORMAT_VERB.sub(substitute, template)


@function("formatlist")
def _formatlist(spec: Any, *args: Any) -> list[str]:
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): lists of different lengths")
    n = lengths.pop() if lengths else 1
    _bounded("formatlist", n * len(to_string(spec)))
    return [_format(spec, *[a[i] if isinstance(a, list) else a for a in args]) for i in range(n)]


def _join_text(separator: Any, *lists: Any) -> Any:
    """join() of lists of known length some of whose elements are unknown with an identity
    (`join("-", [var.env, random_pet.p.id])`): the text built from them (`UnknownText`), as
    the template `"${var.env}-${random_pet.p.id}"` is; None otherwise."""
    if has_unknown(separator) or not all(isinstance(items, (list, tuple)) for items in lists):
        return None
    parts: list[Any] = []
    for item in (v for items in lists for v in items):
        if parts:
            parts.append(to_string(separator))
        parts.append(item if has_unknown(item) else to_string(item))
    return unknown_text(unknown_from(*lists).reason, parts)


@function("join", symbolic=_join_text)
def _join(separator: Any, *lists: Any) -> str:
    _bounded("join", len(to_string(separator)) * sum(len(_list(items, "join")) for items in lists))
    return to_string(separator).join(to_string(v) for items in lists for v in _list(items, "join"))


@function("split")
def _split(separator: Any, value: Any) -> list[str]:
    text = to_string(value)
    return text.split(to_string(separator)) if text else [""]


@function("regex")
def _regex(pattern: Any, value: Any) -> Any:
    import regex

    try:
        match = regex.search(_go_regex(to_string(pattern)), to_string(value), timeout=REGEX_SECONDS)
    except TimeoutError:
        return STOPPED_REGEX
    if match is None:
        raise EvalError("regex(): no match")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


@function("startswith")
def _startswith(value: Any, prefix: Any) -> bool:
    return to_string(value).startswith(to_string(prefix))


@function("endswith")
def _endswith(value: Any, suffix: Any) -> bool:
    return to_string(value).endswith(to_string(suffix))


@function("strcontains")
def _strcontains(value: Any, part: Any) -> bool:
    return to_string(part) in to_string(value)


@function("regexall")
def _regexall(pattern: Any, value: Any) -> Any:
    import regex

    compiled = regex.compile(_go_regex(to_string(pattern)))
    found: list[Any] = []
    try:
        for match in compiled.finditer(to_string(value), timeout=REGEX_SECONDS):
            if match.groupdict():
                found.append(match.groupdict())
            elif compiled.groups:
                found.append(list(match.groups()))
            else:
                found.append(match.group(0))
    except TimeoutError:
        return STOPPED_REGEX
    return found


def _go_regex(pattern: str) -> str:
    # RE2's named groups are (?P<name>...) like Python's; RE2 also accepts (?<name>...).
    return re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", pattern)


@function("strrev")
def _strrev(value: Any) -> str:
    return to_string(value)[::-1]


@function("chomp")
def _chomp(value: Any) -> str:
    return re.sub(r"(\r\n|\n|\r)+\Z", "", to_string(value))


@function("indent")
def _indent(spaces: Any, value: Any) -> str:
    pad = " " * int(to_number(spaces))
    return to_string(value).replace("\n", "\n" + pad)


@function("basename")
def _basename(value: Any) -> str:
    return posixpath.basename(to_string(value).rstrip("/")) or "/"


@function("dirname")
def _dirname(value: Any) -> str:
    return posixpath.dirname(to_string(value)) or "."


@function("urlencode")
def _urlencode(value: Any) -> str:
    return urllib.parse.quote(to_string(value), safe="")


@function("base64encode")
def _base64encode(value: Any) -> str:
    return base64.b64encode(to_string(value).encode()).decode()


@function("base64decode")
def _base64decode(value: Any) -> str:
    return base64.b64decode(to_string(value), validate=True).decode()


def _digest(name: str, encoding: str) -> Callable[[Any], str]:
    def compute(value: Any) -> str:
        digest = hashlib.new(name, to_string(value).encode())
        return digest.hexdigest() if encoding == "hex" else base64.b64encode(digest.digest()).decode()

    return compute


for _name, _algorithm, _encoding in (
    ("md5", "md5", "hex"),
    ("sha1", "sha1", "hex"),
    ("sha256", "sha256", "hex"),
    ("sha512", "sha512", "hex"),
    ("base64sha256", "sha256", "base64"),
    ("base64sha512", "sha512", "base64"),
):
    function(_name)(_digest(_algorithm, _encoding))


@function("sensitive")
@function("nonsensitive")
@function("ephemeralasnull")
def _identity(value: Any) -> Any:
    return value


@function("issensitive")
def _issensitive(value: Any) -> bool:
    return False


# Collections ------------------------------------------------------------------------------


@function("length", accepts_unknown=True)
def _length(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return len(value)  # known even when the elements are not
    if isinstance(value, Unknown):
        return unknown_from(value)
    return len(to_string(value))


@function("concat", accepts_unknown=True)
def _concat(*lists: Any) -> Any:
    if not any(isinstance(items, Unknown) for items in lists):
        return [v for items in lists for v in _list(items, "concat")]
    # A list of unknown length does not hide the known lists beside it: keep them in order
    # (`concat(aws_route53_zone.x.name_servers, ["dns1.p01.nsone.net"])` names NS1).
    parts: list[Any] = []
    for items in lists:
        parts.extend(_parts(items, "concat"))
    return partial_list("concat()", parts)


def _parts(items: Any, fn: str) -> list[Any]:
    return list_parts(items, f"{fn}()")


@function("element", accepts_unknown=True)
def _element(items: Any, index: Any) -> Any:
    if isinstance(items, ZoneList) and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < items.min_length:
        return items.at(index)  # past the zones every region has, it may wrap around
    if isinstance(items, UnknownList) and isinstance(items.parts[0], list) and isinstance(index, int):
        if not isinstance(index, bool) and 0 <= index < len(items.parts[0]):
            return items.parts[0][index]  # the list is at least that long: no wrapping around
    if isinstance(items, Unknown) or has_unknown(index):
        return unknown_from(items, index)
    values = _list(items, "element")
    if not values:
        raise EvalError("element(): empty list")
    return values[int(to_number(index)) % len(values)]


@function("index")
def _index(items: Any, value: Any) -> int:
    values = _list(items, "index")
    if value not in values:
        raise EvalError("index(): value not in list")
    return values.index(value)


@function("lookup", accepts_unknown=True)
def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, PartialMap) and isinstance(key, str) and key in mapping.known:
        return mapping.known[key]
    if isinstance(mapping, Unknown) or has_unknown(key):
        return unknown_from(mapping, key)
    values = _map(mapping, "lookup")
    k = to_string(key)
    if k in values:
        return values[k]
    if default:
        return default[0]
    raise EvalError(f"lookup(): key {k!r} not found")


@function("merge", accepts_unknown=True)
def _merge(*maps: Any) -> Any:
    # Later arguments win: the keys of the known maps after the last unknown one are known,
    # whatever the unknown map holds (`merge(var.settings, { multi_az = false })`).
    result: dict[str, Any] = {}
    unknown: list[Unknown] = []
    for m in maps:
        if isinstance(m, PartialMap):
            result = dict(m.known)
            unknown.append(m)
        elif isinstance(m, UnknownList):
            return unknown_from(*maps)
        elif isinstance(m, Unknown):
            result = {}
            unknown.append(m)
        elif m is not None:
            result.update(_map(m, "merge"))
    if not unknown:
        return result
    whole = unknown_from(*unknown)
    reason = whole.reason if isinstance(unknown[0], PartialMap) else f"merge() of a map that is not known ({whole.reason})"
    return PartialMap(reason, result, whole.refs)


@function("coalesce", accepts_unknown=True)
def _coalesce(*values: Any) -> Any:
    for at, value in enumerate(values):
        if isinstance(value, Unknown):
            rest = values[at:]
            if len(rest) == 1 and text_key(value) is not None:
                return value  # the last candidate: whenever coalesce() gives a value, it is this one
            # Which of the rest it is is not known, but the same candidates give the same value.
            same = unknown_call(f"coalesce() of a value that is not known ({value.reason})", "coalesce", rest)
            return same if same is not None else unknown_from(value)
        if value is not None and value != "":
            return value
    raise EvalError("coalesce(): all arguments are null or empty")


@function("coalescelist", accepts_unknown=True)
def _coalescelist(*lists: Any) -> Any:
    for items in lists:
        if isinstance(items, UnknownList) and items.known:
            return items  # it has an element, so it is not empty
        if isinstance(items, Unknown):
            return unknown_from(items)
        if items:
            return items
    raise EvalError("coalescelist(): all lists are empty")


@function("compact", accepts_unknown=True)
def _compact(items: Any) -> Any:
    if isinstance(items, Unknown) and not isinstance(items, UnknownList):
        return unknown_from(items)
    # An unknown element may be null or "" and be dropped: it is a run of at most one element.
    parts: list[Any] = []
    for part in _parts(items, "compact"):
        if not isinstance(part, list):
            parts.append(part)
            continue
        for v in part:
            if has_unknown(v):
                parts.append(unknown_from(v))
            elif v is not None and v != "":
                parts.append([v])
    return partial_list("compact()", parts)


@function("contains", accepts_unknown=True)
def _contains(items: Any, value: Any) -> Any:
    if has_unknown(value) or (isinstance(items, Unknown) and not isinstance(items, UnknownList)):
        return unknown_from(items, value)
    known = items.known if isinstance(items, UnknownList) else _list(items, "contains")
    if value in [v for v in known if not isinstance(v, Unknown)]:
        return True  # whatever the unknown elements are
    if has_unknown(items):
        return unknown_from(items)
    return False


@function("distinct", accepts_unknown=True)
def _distinct(items: Any) -> Any:
    if isinstance(items, Unknown) and not isinstance(items, UnknownList):
        return unknown_from(items)
    if not has_unknown(items):
        out: list[Any] = []
        for v in _list(items, "distinct"):
            if v not in out:
                out.append(v)
        return out
    zones = _zone_positions(items)
    if zones is not None:
        return list(dict.fromkeys(zones))  # the first of each position, in order
    return _partial_set("distinct()", _parts(items, "distinct"), sort=False)


def _zone_positions(items: Any) -> list[UnknownZone] | None:
    """The elements of `items` when all are positions of one zone list (`names[0]`,
    `element(names, 1)`, `slice(names, 0, 3)`): two of them are the same zone exactly when their
    positions are equal, so a set of them has a known size. None otherwise (a known zone name
    or a position in another read of the list may equal any of them)."""
    if not isinstance(items, list) or not items or not all(isinstance(v, UnknownZone) for v in items):
        return None
    if len({(v.source, v.kind) for v in items}) != 1:
        return None
    return list(items)


# The AWS provider lists availability zones sorted by name (the data source sorts them), so a
# set of zone names, which Terraform orders lexically, keeps the list's order of positions.
_SORTED_ZONE_NAMES = re.compile(r"(^|\.)data\.aws_availability_zones\.[^.]+\.names$")


def _partial_set(what: str, parts: list[Any], sort: bool) -> Any:
    """Known elements once each, then the unknown runs: an unknown element may equal a known
    one, so it counts as a run of at most one element, not as an element."""
    known: list[Any] = []
    runs: list[Any] = []
    for part in parts:
        if not isinstance(part, list):
            runs.append(part)
            continue
        for v in part:
            if isinstance(v, Unknown) or has_unknown(v):
                runs.append(unknown_from(v))
            elif v not in known:
                known.append(v)
    if sort and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in known):
        known = sorted(known, key=to_string)
    return partial_list(what, [known, *runs])


@function("flatten", accepts_unknown=True)
def _flatten(items: Any) -> Any:
    if isinstance(items, Unknown) and not isinstance(items, UnknownList):
        return unknown_from(items)
    # An unknown element may be a list of any length: it is a run of unknown length.
    parts: list[Any] = []
    for part in _parts(items, "flatten"):
        if not isinstance(part, list):
            parts.append(part)
            continue
        for v in part:
            if isinstance(v, Unknown):
                parts.extend(_parts(v, "flatten"))
            elif isinstance(v, (list, tuple)):
                flat = _flatten(list(v))
                parts.extend(_parts(flat, "flatten"))
            else:
                parts.append([v])
    return partial_list("flatten()", parts)


@function("keys", accepts_unknown=True)
def _keys(mapping: Any) -> Any:
    if isinstance(mapping, Unknown):
        return unknown_from(mapping)
    return sorted(_map(mapping, "keys"))


@function("values", accepts_unknown=True)
def _values(mapping: Any) -> Any:
    if isinstance(mapping, Unknown):
        return unknown_from(mapping)
    values = _map(mapping, "values")
    return [values[k] for k in sorted(values)]


@function("zipmap", accepts_unknown=True)
def _zipmap(keys: Any, values: Any) -> Any:
    if has_unknown(keys) or isinstance(values, Unknown):
        return unknown_from(keys, values)
    return dict(zip((to_string(k) for k in _list(keys, "zipmap")), _list(values, "zipmap"), strict=False))


@function("slice", accepts_unknown=True)
def _slice(items: Any, start: Any, end: Any) -> Any:
    if has_unknown(start) or has_unknown(end):
        return unknown_from(items, start, end)
    first, last = int(to_number(start)), int(to_number(end))
    if isinstance(items, Unknown):
        # The elements are not known, but how many there are is: Terraform rejects a slice
        # past the end, so a valid configuration gets exactly last - first of them (the
        # classic `slice(data.aws_availability_zones.available.names, 0, 3)`).
        if not 0 <= first <= last or last - first > 1024:
            return unknown_from(items)
        if isinstance(items, ZoneList):
            return [items.at(i) for i in range(first, last)]
        return [Unknown(f"element {i} of a list that is not known ({items.reason})", items.refs) for i in range(first, last)]
    return _list(items, "slice")[first:last]


@function("reverse", accepts_unknown=True)
def _reverse(items: Any) -> Any:
    if isinstance(items, Unknown):
        return unknown_from(items)
    return list(reversed(_list(items, "reverse")))


@function("setunion", accepts_unknown=True)
def _setunion(*sets: Any) -> Any:
    parts: list[Any] = []
    for items in sets:
        if isinstance(items, Unknown) and not isinstance(items, UnknownList):
            parts.append(items)
        else:
            parts.extend(_parts(items, "setunion"))
    return _partial_set("setunion()", parts, sort=True)


@function("setintersection")
def _setintersection(first: Any, *others: Any) -> Any:
    rest = [_list(items, "setintersection") for items in others]
    return _toset([v for v in _list(first, "setintersection") if all(v in items for items in rest)])


@function("setsubtract")
def _setsubtract(first: Any, second: Any) -> Any:
    removed = _list(second, "setsubtract")
    return _toset([v for v in _list(first, "setsubtract") if v not in removed])


@function("matchkeys")
def _matchkeys(values: Any, keys: Any, searchset: Any) -> list[Any]:
    wanted = _list(searchset, "matchkeys")
    pairs = zip(_list(values, "matchkeys"), _list(keys, "matchkeys"), strict=False)
    return [value for value, key in pairs if key in wanted]


@function("sort")
def _sort(items: Any) -> list[Any]:
    return sorted(_list(items, "sort"), key=to_string)


@function("range")
def _range(*args: Any) -> list[Any]:
    numbers = [to_number(a) for a in args]
    if len(numbers) == 1:
        if numbers[0] > 1024:  # Terraform's own limit, as for the other forms below
            raise EvalError("range(): more than 1024 elements")
        return list(range(int(numbers[0])))
    step = numbers[2] if len(numbers) > 2 else (1 if numbers[1] >= numbers[0] else -1)
    out, value = [], numbers[0]
    while (step > 0 and value < numbers[1]) or (step < 0 and value > numbers[1]):
        out.append(value)
        value += step
        if len(out) > 1024:
            raise EvalError("range(): more than 1024 elements")
    return out


@function("one", accepts_unknown=True)
def _one(items: Any) -> Any:
    if isinstance(items, Unknown):
        return unknown_from(items)
    values = _list(items, "one")
    if len(values) > 1:
        raise EvalError("one(): more than one element")
    return values[0] if values else None


@function("setproduct")
def _setproduct(*sets: Any) -> list[Any]:
    result: list[list[Any]] = [[]]
    _bounded("setproduct", math.prod(len(_list(items, "setproduct")) for items in sets) * max(len(sets), 1))
    for items in sets:
        result = [r + [v] for r in result for v in _list(items, "setproduct")]
    return result


@function("chunklist")
def _chunklist(items: Any, size: Any) -> list[Any]:
    values, n = _list(items, "chunklist"), int(to_number(size))
    return [values[i : i + n] for i in range(0, len(values), n)] if n > 0 else [values]


@function("transpose")
def _transpose(mapping: Any) -> dict[str, Any]:
    out: dict[str, list[Any]] = {}
    for key, items in _map(mapping, "transpose").items():
        for v in _list(items, "transpose"):
            out.setdefault(to_string(v), []).append(key)
    return {k: sorted(v) for k, v in out.items()}


@function("alltrue", accepts_unknown=True)
def _alltrue(items: Any) -> Any:
    # One known false element decides it, whatever the unknown ones are.
    known = items.known if isinstance(items, UnknownList) else items if isinstance(items, (list, tuple)) else None
    if known is not None and any(v is False or v == "false" for v in known):
        return False
    if has_unknown(items):
        return unknown_from(items)
    return all(v is True or v == "true" for v in _list(items, "alltrue"))


@function("anytrue", accepts_unknown=True)
def _anytrue(items: Any) -> Any:
    # One known true element decides it, whatever the unknown ones are.
    known = items.known if isinstance(items, UnknownList) else items if isinstance(items, (list, tuple)) else None
    if known is not None and any(v is True or v == "true" for v in known):
        return True
    if has_unknown(items):
        return unknown_from(items)
    return any(v is True or v == "true" for v in _list(items, "anytrue"))


@function("sum")
def _sum(items: Any) -> Any:
    return sum(to_number(v) for v in _list(items, "sum"))


@function("max")
def _max(*values: Any) -> Any:
    return max(to_number(v) for v in values)


@function("min")
def _min(*values: Any) -> Any:
    return min(to_number(v) for v in values)


@function("pow")
def _pow(base: Any, exponent: Any) -> Any:
    result = to_number(base) ** to_number(exponent)
    return int(result) if isinstance(result, float) and result.is_integer() and abs(result) < 2**53 else result


@function("log")
def _log(value: Any, base: Any) -> float:
    return math.log(to_number(value), to_number(base))


@function("signum")
def _signum(value: Any) -> int:
    number = to_number(value)
    return (number > 0) - (number < 0)


@function("parseint")
def _parseint(value: Any, base: Any) -> int:
    return int(to_string(value), int(to_number(base)))


@function("abs")
def _abs(value: Any) -> Any:
    return abs(to_number(value))


@function("ceil")
def _ceil(value: Any) -> int:
    return math.ceil(to_number(value))


@function("floor")
def _floor(value: Any) -> int:
    return math.floor(to_number(value))


# Types ------------------------------------------------------------------------------------


@function("tolist", accepts_unknown=True)
def _tolist(value: Any) -> Any:
    if isinstance(value, UnknownList):
        return value
    if isinstance(value, Unknown):
        return unknown_from(value)
    return list(value) if isinstance(value, (list, tuple)) else _list(value, "tolist")


@function("toset", accepts_unknown=True)
def _toset(value: Any) -> Any:
    if isinstance(value, Unknown) and not isinstance(value, UnknownList):
        return unknown_from(value)
    # Terraform sets of strings iterate in lexical order. Unknown elements make the size
    # unknown (one may equal another): the known ones are kept beside them.
    zones = _zone_positions(value)
    if zones is not None:
        unique = sorted(set(zones), key=lambda z: z.index)
        if _SORTED_ZONE_NAMES.search(unique[0].source):
            return unique  # lexical order is the list's order
        # Zone IDs (or another cloud's list) in an order not known: the size is.
        return [Unknown(f"one of {', '.join(z.label for z in unique)}", unique[0].refs) for _ in unique]
    return _partial_set("toset()", _parts(value, "toset"), sort=True)


@function("tomap", accepts_unknown=True)
def _tomap(value: Any) -> Any:
    if isinstance(value, PartialMap):
        return value
    if isinstance(value, Unknown):
        return unknown_from(value)
    return dict(_map(value, "tomap"))


@function("tostring")
def _tostring(value: Any) -> Any:
    return None if value is None else to_string(value)


@function("tonumber")
def _tonumber(value: Any) -> Any:
    return None if value is None else to_number(value)


@function("tobool")
def _tobool(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"cannot convert {value!r} to a bool")


def _jsonencode_document(value: Any) -> Any:
    """jsonencode() of a map or list some of whose values are not known: the text is not known,
    but the document it encodes is (`UnknownDocument`); None for a value that is itself unknown."""
    if isinstance(value, Unknown) or not isinstance(value, (dict, list, tuple)):
        return None
    unknown = unknown_from(value)
    return UnknownDocument(unknown.reason, finalize(value), unknown.refs)


@function("jsonencode", symbolic=_jsonencode_document)
def _jsonencode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _decodable(value: Any, fn: str) -> Any:
    """The text a decoding function reads. A list or map is refused whatever its elements are
    (its type is known even when an element is not), so `try(jsondecode(var.grants),
    var.grants)`, the modules' idiom for "a JSON string or a list", takes the list."""
    if isinstance(value, (list, tuple, dict, UnknownList, PartialMap)):
        raise EvalError(f"{fn}() needs a string, got a {type_name(value) if not isinstance(value, Unknown) else 'collection'}")
    return value


@function("jsondecode", accepts_unknown=True)
def _jsondecode(value: Any) -> Any:
    text = _decodable(value, "jsondecode")
    if has_unknown(text):
        return unknown_from(text)
    return json.loads(to_string(text))


@function("yamldecode", accepts_unknown=True)
def _yamldecode(value: Any) -> Any:
    value = _decodable(value, "yamldecode")
    if has_unknown(value):
        return unknown_from(value)
    return _yaml_value(to_string(value))


@functools.lru_cache(maxsize=64)
def _yaml_value(text: str) -> Any:
    """The one YAML document of a text, as Terraform sees it. Kept per text: a module decodes
    the same factory file in every instance (cloud-foundation-fabric: 7 texts decoded 73 times,
    0.5 s of CPU). Values are never changed in place once made (the evaluator shares them as its
    memo does), so every caller can hold the same one."""
    import yaml  # PyYAML comes with cfn-lint; loaded only when a configuration decodes YAML

    # libyaml's parser when PyYAML was built with it (the same safe constructor and resolver, so
    # the same values): the pure-Python one was a fifth of a cold scan of cloud-foundation-fabric,
    # whose configurations decode their YAML factories.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = list(yaml.load_all(text, Loader=loader))
    if len(documents) > 1:
        raise EvalError("yamldecode(): more than one YAML document")
    return _plain_yaml(documents[0] if documents else None)


def _plain_yaml(value: Any) -> Any:
    """YAML values as Terraform sees them: maps with string keys, timestamps as strings."""
    if isinstance(value, dict):
        return {to_string(k) if not isinstance(k, str) else k: _plain_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_yaml(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@function("yamlencode")
def _yamlencode(value: Any) -> str:
    import yaml

    return str(yaml.safe_dump(value, sort_keys=True, default_flow_style=False))


@function("csvdecode")
def _csvdecode(value: Any) -> list[dict[str, str]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(to_string(value))))
    if not rows:
        return []
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


# Networking -------------------------------------------------------------------------------


@function("cidrsubnet")
def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    new_prefix = network.prefixlen + int(to_number(newbits))
    index = int(to_number(netnum))
    if new_prefix > network.max_prefixlen or not 0 <= index < (1 << (new_prefix - network.prefixlen)):
        raise EvalError("cidrsubnet(): netnum or newbits out of range")
    address = int(network.network_address) + (index << (network.max_prefixlen - new_prefix))
    return str(ipaddress.ip_network((address, new_prefix)))


@function("cidrsubnets")
def _cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    out: list[str] = []
    cursor = int(network.network_address)
    for bits in newbits:
        size = network.prefixlen + int(to_number(bits))
        block = 1 << (network.max_prefixlen - size)
        cursor = (cursor + block - 1) // block * block
        subnet = ipaddress.ip_network((cursor, size))
        if not subnet.subnet_of(network):  # type: ignore[arg-type]
            raise EvalError("cidrsubnets(): not enough room")
        out.append(str(subnet))
        cursor += block
    return out


@function("cidrhost")
def _cidrhost(prefix: Any, hostnum: Any) -> str:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    n = int(to_number(hostnum))
    return str(network[n] if n >= 0 else network[n])


@function("cidrcontains")
def _cidrcontains(prefix: Any, address: Any) -> bool:
    network = ipaddress.ip_network(to_string(prefix), strict=False)
    text = to_string(address)
    if "/" in text:
        return ipaddress.ip_network(text, strict=False).subnet_of(network)  # type: ignore[arg-type]
    return ipaddress.ip_address(text) in network


@function("cidrnetmask")
def _cidrnetmask(prefix: Any) -> str:
    return str(ipaddress.ip_network(to_string(prefix), strict=False).netmask)
