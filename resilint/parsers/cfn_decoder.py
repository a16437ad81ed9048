"""cfn-lint's template decoder without the rest of cfn-lint.

`import cfnlint.decode` runs `cfnlint/__init__.py`, which imports the linter's API, its rules
and, through them, sympy and networkx: over half a second before the first template is read,
a quarter of a cold CloudFormation scan. The decoder itself needs two names from that world:
`cfnlint.rules.Match` (a plain dataclass that lives in `cfnlint.match`) and
`cfnlint.rules.errors.ParseError` (a rule object the decoder only attaches to its error
matches). So the decoder modules are loaded with a package shell for `cfnlint` and light
stand-ins for those two modules, and the stand-ins are present only while the decoder is loaded
or runs: another import of cfn-lint in the same process (a plugin, a test) gets the real
package, untouched.

Templates are built by `cfn_construct` (cfn-lint's nodes, from what libyaml composes, without
PyYAML's generic constructor machinery); what it does not reproduce exactly is decoded by
cfn-lint's `decode_str` itself. If the real cfn-lint is already imported, its node classes and
decoder are used.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from resilint.parsers.cfn_construct import NodeClasses, construct

__all__ = ["decode_str", "decode_with_cfn_lint", "load"]

Decoded = tuple[Any, list[Any]]

_SHELLS = ("cfnlint", "cfnlint.rules", "cfnlint.rules.errors")
_shells: dict[str, types.ModuleType] = {}


class _Decoder(NamedTuple):
    """cfn-lint's `decode_str` and the node classes of the same module set."""

    decode: Callable[[str], Decoded]
    nodes: NodeClasses
    light: bool  # loaded with the stand-ins, which must be present while it runs


_decoder: _Decoder | None = None  # the light decoder, once loaded


class _ParseError:
    """What the decoder attaches to an error match as its rule (cfn-lint's E0000, by value)."""

    id = "E0000"
    shortdesc = "Parsing error found when parsing the template"
    description = "Checks for JSON/YAML formatting errors in your template"
    source_url = "https://github.com/aws-cloudformation/cfn-lint"
    tags = ["base"]


def decode_str(text: str) -> Decoded:
    """`cfnlint.decode.decode_str`: (template or None, error matches).

    Templates are built by `cfn_construct` from libyaml's nodes; those it does not reproduce
    exactly (anchors, duplicate keys, YAML errors...) are decoded by cfn-lint itself."""
    decoder = _loaded()
    try:
        return construct(text, decoder.nodes), []
    except Exception:  # Unusual, or an error whose match (message, line) is cfn-lint's to give
        pass
    # As decode_with_cfn_lint, at the same depth of the stack: where Python's recursion limit
    # stops cfn-lint on a deep document decides its message.
    if not decoder.light:
        return decoder.decode(text)
    with _light_cfnlint():
        return decoder.decode(text)


def decode_with_cfn_lint(text: str) -> Decoded:
    """cfn-lint's own `decode_str`, whatever the template holds (what `decode_str` must equal)."""
    decoder = _loaded()
    if not decoder.light:
        return decoder.decode(text)
    with _light_cfnlint():
        return decoder.decode(text)


def load() -> None:
    """Load the decoder now (before forking processes that will all decode templates)."""
    _loaded()


def _loaded() -> _Decoder:
    """The light decoder (loaded on first use), or the real one when cfn-lint is imported."""
    if "cfnlint" in sys.modules and sys.modules["cfnlint"] not in _shells.values():
        return _real()
    global _decoder
    if _decoder is None:
        try:
            with _light_cfnlint():
                from cfnlint.decode import decode_str as light
                from cfnlint.decode.node import dict_node, list_node, str_node
        except (ImportError, AttributeError):
            # A cfn-lint whose decoder needs more of the package than the stand-ins give: load
            # it whole (slower start-up, same results) rather than fail every template.
            _shells.clear()
            return _real()
        _decoder = _Decoder(light, NodeClasses(str_node, dict_node, list_node), light=True)
    return _decoder


def _real() -> _Decoder:
    from cfnlint.decode import decode_str as real
    from cfnlint.decode.node import dict_node, list_node, str_node

    return _Decoder(real, NodeClasses(str_node, dict_node, list_node), light=False)


@contextmanager
def _light_cfnlint() -> Iterator[None]:
    """The stand-ins in `sys.modules` for as long as the block runs; then the modules of the
    light decoder leave `sys.modules` (their functions keep their own globals), so that a real
    `import cfnlint` later loads everything afresh."""
    if not _shells:
        spec = importlib.util.find_spec("cfnlint")
        if spec is None or spec.submodule_search_locations is None:
            raise ImportError("cfn-lint is not installed")
        package = types.ModuleType("cfnlint")
        package.__path__ = list(spec.submodule_search_locations)
        rules = types.ModuleType("cfnlint.rules")
        rules.__path__ = []
        errors = types.ModuleType("cfnlint.rules.errors")
        errors.ParseError = _ParseError  # type: ignore[attr-defined]
        _shells.update({"cfnlint": package, "cfnlint.rules": rules, "cfnlint.rules.errors": errors})
    before = {name: module for name, module in sys.modules.items() if name == "cfnlint" or name.startswith("cfnlint.")}
    sys.modules.update(_shells)
    try:
        if not hasattr(_shells["cfnlint.rules"], "Match"):
            from cfnlint.match import Match

            _shells["cfnlint.rules"].Match = Match  # type: ignore[attr-defined]
        yield
    finally:
        for name in [n for n in sys.modules if n == "cfnlint" or n.startswith("cfnlint.")]:
            if name not in before:
                del sys.modules[name]
        sys.modules.update(before)
