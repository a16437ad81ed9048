"""The family API: how each source spells a kind of resource, and a member's arguments read
through that spelling.

A `Family` (relational databases, caches, buckets, subnets, load balancers...) is a list of
`Spelling`s, one per resource type of every source that holds a member of the family:
`aws_db_instance` and `AWS::RDS::DBInstance` are both the `db_instance` kind of the relational
database family, with `multi_az` / `MultiAZ` as the argument that plays the `multi_az` role.
Rules ask a family for its members and read them by role (`member.setting("multi_az")`), so a
rule names no resource type and no argument of its own, and a new source is one more
`Spelling` in the family's table.

A plan (`terraform show -json`) spells resources as Terraform does, so it needs no table of its
own; what a plan does not say (values computed at apply) comes back unknown, never absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from resilint.arguments import DEFAULT, setting
from resilint.arguments import may_be_set as _may_be_set
from resilint.model import Resource, Unit

TERRAFORM = "terraform"
CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True)
class Spelling:
    """How one source writes one kind of a family.

    `arguments` maps a role ("multi_az", "subnets") to the argument names that play it in this
    source, the current spelling first and older ones after it (`zones`, `availability_zones`).
    `words` maps a role to text a message shows in this source's terms: a related resource type
    ("replica_type": `aws_elasticache_replication_group`), a setting written out
    ("cross_zone_on": `enable_cross_zone_load_balancing = true`). `service` is the product name
    for messages ("RDS", "ElastiCache")."""

    type: str
    kind: str
    source: str
    arguments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)
    service: str = ""


def terraform(type_: str, kind: str, *, service: str = "", words: Mapping[str, str] | None = None, **arguments: str | tuple[str, ...]) -> Spelling:
    """A Terraform (and plan) spelling: `terraform("aws_db_instance", "db_instance", multi_az="multi_az")`."""
    return Spelling(type_, kind, TERRAFORM, _names(arguments), dict(words or {}), service)


def cloudformation(type_: str, kind: str, *, service: str = "", words: Mapping[str, str] | None = None, **arguments: str | tuple[str, ...]) -> Spelling:
    """A CloudFormation spelling: `cloudformation("AWS::RDS::DBInstance", "db_instance", multi_az="MultiAZ")`."""
    return Spelling(type_, kind, CLOUDFORMATION, _names(arguments), dict(words or {}), service)


def _names(arguments: Mapping[str, str | tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {role: (names,) if isinstance(names, str) else tuple(names) for role, names in arguments.items()}


@dataclass(frozen=True)
class Member:
    """One resource of a family, read through its source's spelling."""

    resource: Resource
    spelling: Spelling

    @property
    def kind(self) -> str:
        return self.spelling.kind

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def source(self) -> str:
        """"terraform" (also for plans) or "cloudformation": whose words messages use."""
        return self.spelling.source

    @property
    def service(self) -> str:
        return self.spelling.service

    def names(self, role: str) -> tuple[str, ...]:
        """Every spelling of a role's argument in this source, the current one first."""
        try:
            return self.spelling.arguments[role]
        except KeyError:
            raise KeyError(f"{self.spelling.type} has no argument for the role {role!r}") from None

    def argument(self, role: str) -> str:
        """The argument's current name in this source ("multi_az", "MultiAZ")."""
        return self.names(role)[0]

    def has(self, role: str) -> bool:
        """Whether this source has an argument for the role at all."""
        return role in self.spelling.arguments

    def setting(self, role: str, within: dict[str, Any] | None = None) -> tuple[str, Any]:
        """The argument's name and value as `resilint.arguments.setting` reads them: the value,
        `Unknown`, or `DEFAULT` (left to the provider's default)."""
        return setting(self.resource, *self.names(role), within=within)

    def value(self, role: str, within: dict[str, Any] | None = None) -> Any:
        """The value the resource (or the block `within` it) gives the role's argument, None
        when it gives none (absent or null). Use `setting` where absence must be told from a
        plan's silence."""
        source = self.resource.attributes if within is None else within
        for name in self.names(role):
            if source.get(name) is not None:
                return source[name]
            if within is None and "." in name:  # a path into nested blocks
                found = self.resource.get(name)
                if found is not None:
                    return found
        return None

    def is_default(self, role: str) -> bool:
        return self.setting(role)[1] is DEFAULT

    def may_be_set(self, role: str) -> bool:
        """Whether any spelling of the role's argument holds, or may hold, a value."""
        return any(_may_be_set(self.resource, name) for name in self.names(role))

    def word(self, role: str) -> str:
        """Text a message shows for the role in this source's terms."""
        try:
            return self.spelling.words[role]
        except KeyError:
            raise KeyError(f"{self.spelling.type} has no words for {role!r}") from None

    def says(self, role: str) -> str | None:
        """The words for a role, or None when this source has none."""
        return self.spelling.words.get(role)

    def assignment(self, role: str, value: str) -> str:
        """The argument set to `value` as this source writes it: `multi_az = true`, `MultiAZ: true`."""
        name = self.argument(role)
        return f"{name}: {value}" if self.source == CLOUDFORMATION else f"{name} = {value}"


class Family:
    """A kind of resource across sources: its spellings, indexed by type."""

    def __init__(self, name: str, spellings: Iterable[Spelling]) -> None:
        self.name = name
        self.spellings = tuple(spellings)
        self._by_type: dict[str, Spelling] = {}
        for spelling in self.spellings:
            if spelling.type in self._by_type:
                raise ValueError(f"{spelling.type} is spelled twice in the {name} family")
            self._by_type[spelling.type] = spelling
        self._types = tuple(self._by_type)
        # The types of each set of kinds asked for (rules ask the same few, once per unit).
        self._types_of: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __repr__(self) -> str:
        return f"Family({self.name!r})"

    @property
    def types(self) -> tuple[str, ...]:
        return self._types

    def kinds(self) -> frozenset[str]:
        return frozenset(s.kind for s in self.spellings)

    def types_of(self, *kinds: str) -> tuple[str, ...]:
        """The resource types that spell these kinds, in every source."""
        found = self._types_of.get(kinds)
        if found is None:
            found = self._types_of[kinds] = tuple(s.type for s in self.spellings if s.kind in kinds)
        return found

    def type_of(self, kind: str, source: str) -> str:
        """How a source spells a kind (the first of its types): the name a message gives a
        resource to add."""
        for spelling in self.spellings:
            if spelling.kind == kind and spelling.source == source:
                return spelling.type
        raise KeyError(f"the {self.name} family has no {kind} in {source}")

    def spelling(self, type_: str) -> Spelling | None:
        return self._by_type.get(type_)

    def __contains__(self, resource: object) -> bool:
        return isinstance(resource, Resource) and resource.type in self._by_type

    def member(self, resource: Resource) -> Member | None:
        spelling = self._by_type.get(resource.type)
        return Member(resource, spelling) if spelling is not None else None

    def members(self, unit: Unit, *kinds: str) -> Iterator[Member]:
        """The unit's members of this family (of the given kinds, or all), in source order."""
        found = unit.resources_of(self.types_of(*kinds) if kinds else self.types)
        if not found:  # most units, for most families: nothing to make an iterator of
            return iter(())
        by_type = self._by_type
        return (Member(resource, by_type[resource.type]) for resource in found)

    def word(self, kind: str, source: str, role: str) -> str:
        """Text for a role of a kind in a source (a message about a member of one kind that
        names another kind)."""
        for spelling in self.spellings:
            if spelling.kind == kind and spelling.source == source and role in spelling.words:
                return spelling.words[role]
        raise KeyError(f"the {self.name} family has no {role!r} for {kind} in {source}")
