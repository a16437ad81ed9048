"""One copy of what the units of a build repeat, so that a large project holds less memory.

A built unit repeats the same small values thousands of times over the project: strings
("aws", "VpcId", a module's address, the file a resource is in), each made anew by the parse,
the evaluator or unpickling from a worker process or the cache; the same reference (a subnet
read by every instance of a module); and pydantic's record of which fields were given, a set
per model instance (a tenth of the project at the generated monorepo's scale). `Compactor`
replaces each with one shared copy, in place, before anything reads the units: equal values
stay equal, so nothing a rule or reporter sees changes.

Sharing the fields-given set is safe because every model here is frozen (nothing adds to it)
and `model_copy` copies it before it records the fields it updates.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from resilint.model import Location, Reference, Resource, Unit


class Compactor:
    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._fields_given: dict[frozenset[str], set[str]] = {}
        self._references: dict[tuple[str, str | None, str], Reference] = {}
        self._locations: dict[tuple[str, int, int, int | None, int | None], Location] = {}
        self._done: set[int] = set()  # ids of the units compacted (alive as long as the build)

    def unit(self, unit: Unit) -> Unit:
        """The unit with its resources compacted (where nearly all of a unit's memory is): as
        soon as it is built, so that what the build holds at its peak is compact already."""
        if id(unit) in self._done:
            return unit
        self._done.add(id(unit))
        for resource in unit.resources:
            self._resource(resource)
        for copy in unit.copies:
            self.unit(copy)
        return unit

    def compacted(self, unit: Unit) -> Unit:
        """The unit, taken as compact already (built and compacted in a worker process): later
        calls of `unit` leave it as it is."""
        self._done.add(id(unit))
        return unit

    def _resource(self, resource: Resource) -> None:
        fields = resource.__dict__
        strings = self._strings
        for name in ("type", "address", "unit", "provider", "cloud", "provider_config", "region"):
            value = fields[name]
            if type(value) is str:
                fields[name] = strings.setdefault(value, value)
        if fields["attributes"]:
            fields["attributes"] = self._dict(fields["attributes"])
        if fields["meta"]:
            fields["meta"] = self._dict(fields["meta"])
        lines = fields["attribute_lines"]
        if lines:
            fields["attribute_lines"] = {strings.setdefault(key, key): line for key, line in lines.items()}
        provenance = fields["provenance"]
        if provenance:
            fields["provenance"] = {strings.setdefault(key, key): strings.setdefault(text, text) for key, text in provenance.items()}
        references = fields["references"]
        if references:
            fields["references"] = tuple(self._reference(reference) for reference in references)
        fields["location"] = self._location(fields["location"])
        self._share_fields_given(resource)

    def _text(self, value: str) -> str:
        return self._strings.setdefault(value, value)

    # Attribute values: dicts (keys and values), lists (in place), tuples and strings; other
    # values (numbers, unknowns) as they are. Written out per container: this walks every value
    # of every resource.

    def _dict(self, value: dict[Any, Any]) -> dict[Any, Any]:
        strings = self._strings
        compacted = {}
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                item = strings.setdefault(item, item)
            elif kind is dict:
                item = self._dict(item)
            elif kind is list:
                self._list(item)
            elif kind is tuple:
                item = self._tuple(item)
            compacted[strings.setdefault(key, key) if type(key) is str else key] = item
        return compacted

    def _list(self, value: list[Any]) -> None:
        strings = self._strings
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str:
                value[index] = strings.setdefault(item, item)
            elif kind is dict:
                value[index] = self._dict(item)
            elif kind is list:
                self._list(item)
            elif kind is tuple:
                value[index] = self._tuple(item)

    def _tuple(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        items = list(value)
        self._list(items)
        return tuple(items)

    def _reference(self, reference: Reference) -> Reference:
        fields = reference.__dict__
        key = (fields["target"], fields["attribute"], fields["path"])  # a tuple hashes in C; a model in Python
        shared = self._references.get(key)
        if shared is not None:
            return shared
        fields["target"] = self._text(fields["target"])
        fields["path"] = self._text(fields["path"])
        if fields["attribute"] is not None:
            fields["attribute"] = self._text(fields["attribute"])
        self._share_fields_given(reference)
        self._references[key] = reference
        return reference

    def _location(self, location: Location) -> Location:
        fields = location.__dict__
        key = (fields["path"], fields["line"], fields["end_line"], fields["column"], fields["end_column"])
        shared = self._locations.get(key)
        if shared is not None:
            return shared
        fields["path"] = self._text(fields["path"])
        self._share_fields_given(location)
        self._locations[key] = location
        return location

    def _share_fields_given(self, model: BaseModel) -> None:
        given = model.__pydantic_fields_set__
        key = frozenset(given)
        shared = self._fields_given.get(key)
        if shared is None:
            shared = self._fields_given[key] = set(key)
        object.__setattr__(model, "__pydantic_fields_set__", shared)
