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
        self._references: dict[Reference, Reference] = {}
        self._locations: dict[Location, Location] = {}
        self._done: set[int] = set()  # ids of the units compacted (alive as long as the build)

    def unit(self, unit: Unit) -> Unit:
        """The unit with its resources compacted (where nearly all of a unit's memory is): as
        soon as it is built, so that what the build holds at its peak is compact already."""
        if id(unit) in self._done:
            return unit
        self._done.add(id(unit))
        for resource in unit.resources:
            self._resource(resource)
        return unit

    def _resource(self, resource: Resource) -> None:
        fields = resource.__dict__
        text = self._text
        for name in ("type", "address", "unit", "provider", "cloud", "provider_config", "region"):
            value = fields[name]
            if type(value) is str:
                fields[name] = text(value)
        fields["attributes"] = self._value(fields["attributes"])
        fields["meta"] = self._value(fields["meta"])
        lines = fields["attribute_lines"]
        if lines:
            fields["attribute_lines"] = {text(key): line for key, line in lines.items()}
        provenance = fields["provenance"]
        if provenance:
            fields["provenance"] = {text(key): text(value) for key, value in provenance.items()}
        references = fields["references"]
        if references:
            fields["references"] = tuple(self._reference(reference) for reference in references)
        fields["location"] = self._location(fields["location"])
        self._share_fields_given(resource)

    def _text(self, value: str) -> str:
        return self._strings.setdefault(value, value)

    def _value(self, value: Any) -> Any:
        """Attribute values: dicts (keys and values), lists (in place), tuples and strings; other
        values (numbers, unknowns) as they are."""
        kind = type(value)
        if kind is str:
            return self._strings.setdefault(value, value)
        if kind is dict:
            text = self._text
            return {text(key) if type(key) is str else key: self._value(item) for key, item in value.items()}
        if kind is list:
            for index, item in enumerate(value):
                value[index] = self._value(item)
            return value
        if kind is tuple:
            return tuple(self._value(item) for item in value)
        return value

    def _reference(self, reference: Reference) -> Reference:
        shared = self._references.get(reference)
        if shared is not None:
            return shared
        fields = reference.__dict__
        fields["target"] = self._text(fields["target"])
        fields["path"] = self._text(fields["path"])
        if fields["attribute"] is not None:
            fields["attribute"] = self._text(fields["attribute"])
        self._share_fields_given(reference)
        self._references[reference] = reference
        return reference

    def _location(self, location: Location) -> Location:
        shared = self._locations.get(location)
        if shared is not None:
            return shared
        location.__dict__["path"] = self._text(location.path)
        self._share_fields_given(location)
        self._locations[location] = location
        return location

    def _share_fields_given(self, model: BaseModel) -> None:
        given = model.__pydantic_fields_set__
        key = frozenset(given)
        shared = self._fields_given.get(key)
        if shared is None:
            shared = self._fields_given[key] = set(key)
        object.__setattr__(model, "__pydantic_fields_set__", shared)
