"""The common resource model every parser produces and every rule reads.

Parsers turn Terraform and CloudFormation into `Resource`s grouped into deployment `Unit`s of one
`Project`. Rules see only these types: no HCL dicts, no YAML nodes.

A value the parser could not resolve is an `Unknown`, never a guess. `Unknown` travels inside
attribute values (a list of two subnets whose ids are computed is a list of two `Unknown`s), and
carries the addresses of the resources it was computed from, so rules can still follow the edge.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

SourceKind = Literal["terraform", "terraform-plan", "cloudformation"]
T = TypeVar("T")


class Unknown:
    """A value that could not be resolved statically.

    `reason` says why, in words a user can act on ("var.region has no value"). `refs` are the
    addresses of the resources the value comes from (`aws_subnet.a` for `aws_subnet.a.id`).
    """

    __slots__ = ("reason", "refs")

    def __init__(self, reason: str, refs: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.refs = refs

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason and other.refs == self.refs

    def __hash__(self) -> int:
        return hash((Unknown, self.reason, self.refs))

    def __bool__(self) -> bool:
        # Truth-testing an unknown is a bug in a rule: it would turn "unknown" into "false".
        raise TypeError(f"the truth of an unknown value is undefined ({self.reason})")


class UnknownList(Unknown):
    """A list whose length is not known but some of whose elements are:
    `concat(aws_route53_zone.x.name_servers, ["dns1.p01.nsone.net"])`.

    It is an `Unknown` (its length, and so the list, is decided at apply), so code that does not
    know this class stays silent on it. Code that wants the known part reads `parts`, in list
    order: a list is a run of elements of known length (elements may be `Unknown`), an `Unknown`
    is a run of any number of elements (the zone's name servers), with its own `refs`.

    `refs` are the resources the unknown parts come from, and empty when one of them comes from
    no resource (a variable without a value): code that reads `refs` as the whole origin of the
    list ("every name server is this zone's") must not see a complete origin that is not.
    """

    __slots__ = ("parts",)

    def __init__(self, reason: str, parts: tuple[Any, ...]) -> None:
        refs: list[str] = []
        for part in parts:
            for unknown in unknowns_in(part):
                if not unknown.refs:
                    refs = []
                    break
                refs.extend(r for r in unknown.refs if r not in refs)
            else:
                continue
            break
        super().__init__(reason, tuple(refs))
        self.parts = parts

    @property
    def known(self) -> list[Any]:
        """The elements known to be in the list (each may itself be an `Unknown` value)."""
        return [item for part in self.parts if isinstance(part, list) for item in part]

    def __repr__(self) -> str:
        return f"UnknownList({self.reason!r}, {self.parts!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownList) and super().__eq__(other) and other.parts == self.parts

    def __hash__(self) -> int:
        return hash((UnknownList, self.reason, self.refs))


class ZoneList(Unknown):
    """The availability zones of a region as the cloud lists them at deploy time:
    `!GetAZs ''` in CloudFormation, `data.aws_availability_zones.available.names` (or
    `zone_ids`, or `data.google_compute_zones.available.names`) in Terraform.

    Neither the names nor how many there are is known, so it is an `Unknown`. But the list has
    no duplicates and one deployment reads it once, so its elements by position are
    `UnknownZone`s that can be compared: `source` identifies the list (the expression that
    reads it), `kind` says whether it lists zone names ("name") or zone IDs ("id").
    """

    __slots__ = ("source", "kind", "element", "min_length")

    def __init__(
        self, reason: str, source: str, kind: str, element: str, refs: tuple[str, ...] = (), min_length: int = 1
    ) -> None:
        super().__init__(reason, refs)
        self.source = source
        self.kind = kind
        self.element = element  # how to write one element: a format with {index}
        # How many zones the list has at least (every region of the cloud has that many):
        # `element(list, i)` below it never wraps around.
        self.min_length = min_length

    def at(self, index: int) -> UnknownZone:
        """The zone at `index` (from 0)."""
        label = self.element.format(index=index)
        return UnknownZone(f"{label} is a zone chosen at deploy time", self.source, self.kind, index, label, self.refs)

    def __repr__(self) -> str:
        return f"ZoneList({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ZoneList) and super().__eq__(other) and (other.source, other.kind) == (self.source, self.kind)

    def __hash__(self) -> int:
        return hash((ZoneList, self.source, self.kind))


class UnknownZone(Unknown):
    """One element of a `ZoneList` by position (`!Select [0, !GetAZs '']`,
    `data.aws_availability_zones.available.names[1]`): which zone it is is decided at deploy
    time, but two of them from the same list are the same zone when their indexes are equal
    and different zones when they are not. `label` is how a message names it."""

    __slots__ = ("source", "kind", "index", "label")

    def __init__(self, reason: str, source: str, kind: str, index: int, label: str, refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.source = source
        self.kind = kind
        self.index = index
        self.label = label

    def __repr__(self) -> str:
        return f"UnknownZone({self.source!r}, {self.index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownZone) and (other.source, other.kind, other.index) == (self.source, self.kind, self.index)

    def __hash__(self) -> int:
        return hash((UnknownZone, self.source, self.kind, self.index))


class UnknownAttribute(Unknown):
    """The value of one attribute of one resource, decided at apply (`aws_s3_bucket.site.id`,
    `!GetAtt Bucket.Arn`). Two of them with the same `address` and `attribute` are the same value,
    whatever it turns out to be (`same_value`); what is computed from one is a plain `Unknown`.
    Equality is `Unknown`'s (reason and refs)."""

    __slots__ = ("address", "attribute")

    def __init__(self, reason: str, refs: tuple[str, ...], address: str, attribute: str | None) -> None:
        super().__init__(reason, refs)
        self.address = address
        self.attribute = attribute

    @property
    def label(self) -> str:
        return f"{self.address}.{self.attribute}" if self.attribute else self.address


class UnknownDocument(Unknown):
    """A string that encodes a document whose shape is known but some of whose values are not:
    `jsonencode({ Statement = [{ Principal = { Service = "delivery.logs.amazonaws.com" },
    Resource = "${aws_s3_bucket.logs.arn}/*" }] })`. The string is not known (the unknown values
    are in it), but what the known values say is: code that reads policies reads `document`,
    the value with `Unknown`s where the values are not known."""

    __slots__ = ("document",)

    def __init__(self, reason: str, document: Any, refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.document = document

    def __repr__(self) -> str:
        return f"UnknownDocument({self.document!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownDocument) and super().__eq__(other) and other.document == self.document

    def __hash__(self) -> int:
        return hash((UnknownDocument, self.reason, self.refs))


class UnknownInput(Unknown):
    """An input variable of a root module that has no value (no default, no tfvars, no --var):
    whoever deploys gives it, so it is not known, but it is one value in the whole unit:
    `var.suffix` read twice is the same value (`same_value`). `name` is how the code spells it,
    with the module path when it is not the root's (`var.suffix`)."""

    __slots__ = ("name",)

    def __init__(self, reason: str, name: str) -> None:
        super().__init__(reason, ())
        self.name = name

    def __repr__(self) -> str:
        return f"UnknownInput({self.name!r})"


class UnknownCall(Unknown):
    """What a pure function gives for arguments that are each known or have an identity:
    `lower(var.env)`, `coalesce(var.name, "default")`. Not known, but two calls of the same
    function with the same arguments (same texts, same unknowns) give the same value
    (`same_value`). `signature` is the function and its arguments' `text_key`s, written out;
    make one with `unknown_call`."""

    __slots__ = ("signature",)

    def __init__(self, reason: str, signature: str, refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.signature = signature

    def with_refs(self, refs: tuple[str, ...]) -> UnknownCall:
        """The same value, as the resource `refs` name holds it."""
        return UnknownCall(self.reason, self.signature, refs)

    def __repr__(self) -> str:
        return f"UnknownCall({self.signature!r})"


# One unknown value with an identity, as a text key holds it: ("attribute", address, attribute),
# ("input", name) or ("call", signature).
Symbol = tuple[str, ...]


def _symbol(value: object) -> Symbol | None:
    if isinstance(value, UnknownAttribute):
        return ("attribute", value.address, value.attribute or "")
    if isinstance(value, UnknownInput):
        return ("input", value.name)
    if isinstance(value, UnknownCall):
        return ("call", value.signature)
    return None


class UnknownText(Unknown):
    """A string built from known text and unknown values that each have an identity (one
    attribute of one resource, an input without a value): `"replica-${random_pet.this.id}"`.
    The string is not known, but two of them built from the same parts in the same order are
    the same string whatever those values turn out to be (`same_value`, `text_key`). Parts that
    are not provably equal leave the texts unknown, never different.

    `parts` alternate known strings and those unknowns, adjacent strings merged and empty ones
    dropped; make one with `unknown_text`, which gives the unknown itself when it is the whole
    string. `refs` are the resources its unknown parts come from."""

    __slots__ = ("parts",)

    def __init__(self, reason: str, parts: tuple[Any, ...], refs: tuple[str, ...] | None = None) -> None:
        if refs is None:
            found: list[str] = []
            for part in parts:
                if isinstance(part, Unknown):
                    found.extend(r for r in part.refs if r not in found)
            refs = tuple(found)
        if any(not isinstance(part, str) and _symbol(part) is None for part in parts):
            raise ValueError("a part of an UnknownText is a string or an unknown with an identity")
        super().__init__(reason, refs)
        self.parts = parts

    @property
    def key(self) -> tuple[str | Symbol, ...]:
        return tuple(part if isinstance(part, str) else _symbol(part) or () for part in self.parts)

    def with_refs(self, refs: tuple[str, ...]) -> UnknownText:
        """The same text, as the resource `refs` name holds it (what reads it has an edge to them)."""
        return UnknownText(self.reason, self.parts, refs)

    def __repr__(self) -> str:
        return f"UnknownText({self.key!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnknownText) and super().__eq__(other) and other.key == self.key

    def __hash__(self) -> int:
        return hash((UnknownText, self.reason, self.refs))


def unknown_text(reason: str, parts: Iterable[Any]) -> Any:
    """The text made of `parts` (strings, `UnknownText`s and unknowns with an identity), in
    its normal form: nested texts flattened, adjacent strings merged, empty ones dropped; a
    known string when every part is, the unknown itself when it is the whole text. None when a
    part is an unknown without an identity (the text is then a plain unknown)."""
    flat: list[Any] = []
    for part in parts:
        pieces = part.parts if isinstance(part, UnknownText) else (part,)
        for piece in pieces:
            if isinstance(piece, str):
                if not piece:
                    continue
                if flat and isinstance(flat[-1], str):
                    flat[-1] += piece
                    continue
            elif _symbol(piece) is None:
                return None
            flat.append(piece)
    if not flat:
        return ""
    if len(flat) == 1:
        return flat[0]
    if all(isinstance(piece, str) for piece in flat):
        return "".join(flat)
    return UnknownText(reason, tuple(flat))


def unknown_call(reason: str, function: str, arguments: Iterable[Any]) -> UnknownCall | None:
    """The result of the pure `function` of `arguments` when one of them is not known: an
    `UnknownCall` when every argument is null, a known string, or has an identity (a
    `text_key`); None otherwise (the result is then a plain unknown)."""
    keys: list[Any] = []
    refs: list[str] = []
    for argument in arguments:
        if argument is None:
            keys.append(None)
            continue
        key = text_key(argument)
        if key is None:
            return None
        keys.append([list(part) if isinstance(part, tuple) else part for part in key])
        if isinstance(argument, Unknown):
            refs.extend(r for r in argument.refs if r not in refs)
    return UnknownCall(reason, json.dumps([function, keys], separators=(",", ":")), tuple(refs))


def spelled(value: object) -> str | None:
    """How a message writes a value known or with an identity: a string quoted, an attribute
    (`aws_s3_bucket.site.id`), an input (`var.env`, `AWS::StackName`), a text as the template
    that builds it (`"${AWS::StackName}-content"`), a call (`lower(var.env)`); None for a plain
    unknown."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, UnknownAttribute):
        return value.label
    if isinstance(value, UnknownInput):
        return value.name
    if isinstance(value, UnknownText):
        return json.dumps("".join(p if isinstance(p, str) else "${" + (spelled(p) or "?") + "}" for p in value.parts), ensure_ascii=False)
    if isinstance(value, UnknownCall):
        function, arguments = json.loads(value.signature)
        return f"{function}({', '.join(_spelled_key(a) for a in arguments)})"
    return None


def _spelled_key(key: list[Any] | None) -> str:
    """An argument of an `UnknownCall` as its `text_key` (written out) says it."""
    if key is None:
        return "null"
    parts = [p if isinstance(p, str) else "${" + _spelled_symbol(p) + "}" for p in key]
    if len(parts) == 1 and not isinstance(key[0], str):
        return parts[0][2:-1]
    return json.dumps("".join(parts), ensure_ascii=False)


def _spelled_symbol(symbol: list[str]) -> str:
    kind, *rest = symbol
    if kind == "attribute":
        address, attribute = rest
        return f"{address}.{attribute}" if attribute else address
    if kind == "call":
        function, arguments = json.loads(rest[0])
        return f"{function}({', '.join(_spelled_key(a) for a in arguments)})"
    return rest[0]


def text_key(value: object) -> tuple[str | Symbol, ...] | None:
    """What decides whether two strings, known or not, are the same: the text of a known string,
    the parts of an `UnknownText`, the identity of an unknown that has one; None otherwise."""
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, UnknownText):
        return value.key
    symbol = _symbol(value)
    return (symbol,) if symbol is not None else None


def same_value(a: object, b: object) -> bool:
    """True when `a` and `b` are known to be equal: equal known values, the same attribute of
    the same resource, the same input, or texts built from the same parts in the same order.
    False when that is not known (an unknown is never equal to anything else)."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        key = text_key(a)
        return key is not None and key == text_key(b)
    if contains_unknown(a) or contains_unknown(b):
        return False
    return type(a) is type(b) and a == b


def unknowns_in(value: object, stand_in: Callable[[object], Unknown | None] | None = None) -> Iterator[Unknown]:
    """Every `Unknown` in a value, depth first in order: the value itself, or those inside its
    dicts, lists and tuples (an `Unknown` is not entered: an `UnknownList` is one unknown). The
    one walker of model values: parsers, relations and rules use it. `stand_in` lets a parser
    count values of its own that are not model values (the Terraform evaluator's resource
    objects) as the unknown they stand for."""
    if isinstance(value, Unknown):
        yield value
        return
    found = stand_in(value) if stand_in is not None else None
    if found is not None:
        yield found
    elif isinstance(value, dict):
        for item in value.values():
            yield from unknowns_in(item, stand_in)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from unknowns_in(item, stand_in)


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def contains_unknown(value: object) -> bool:
    """True when `value` is, or holds anywhere inside it, an `Unknown`."""
    return next(unknowns_in(value), None) is not None


# A region is a known name ("eu-west-1", "westeurope", "us-central1"), None for a resource that has
# no region (a global service such as IAM or Route 53), or Unknown.
Region = str | None | Unknown


class Location(BaseModel):
    """A span in a source file. `path` is relative to the working directory, with forward slashes."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    column: int | None = None
    end_column: int | None = None


class Reference(BaseModel):
    """An edge from one resource to another, found in an attribute value."""

    model_config = ConfigDict(frozen=True)

    target: str  # address of the referenced resource, without instance key when it is not known
    attribute: str | None = None  # the referenced attribute ("id", "arn", "dns_name")
    path: str = ""  # where in the referring resource ("subnet_ids[1]", "Properties.VpcId")


class Resource(BaseModel):
    """One managed resource (or one instance of a counted / for_each resource)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    source: SourceKind
    type: str  # "aws_db_instance", "AWS::RDS::DBInstance"
    address: str  # "module.db.aws_db_instance.this[0]", or a CloudFormation logical ID
    unit: str  # id of the deployment unit this resource belongs to
    provider: str  # provider type: "aws", "azurerm", "google", "cloudflare"...
    cloud: str  # "aws", "azure", "gcp", or the provider name for anything else
    provider_config: str | None = None  # "aws.west": the configuration the resource uses
    region: Any = None  # Region: str | None (global) | Unknown
    zones: Any = ()  # tuple[str, ...] | Unknown: availability zones the resource is pinned to
    attributes: dict[str, Any] = Field(default_factory=dict)
    attribute_lines: dict[str, int] = Field(default_factory=dict)  # top-level attribute -> line
    references: tuple[Reference, ...] = ()
    # Source-specific extras rules rarely need: Terraform depends_on / lifecycle,
    # CloudFormation Condition / DependsOn / Metadata.
    meta: dict[str, Any] = Field(default_factory=dict)
    # Where a top-level attribute's value comes from when the code alone does not fix it: a
    # variable's or parameter's default, a value given from outside, a condition ("parameter
    # DBMultiAZ's default"). "Condition" (CloudFormation) says why the resource exists at all.
    provenance: dict[str, str] = Field(default_factory=dict)
    location: Location
    count_unknown: bool = False  # count / for_each could not be resolved: one or more instances

    def get(self, path: str, default: Any = None) -> Any:
        """Attribute at a dotted path ("failover_routing_policy.type"). Blocks are lists of
        dicts; a path through a block with exactly one instance steps into it."""
        value: Any = self.attributes
        for part in path.split("."):
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
                value = value[0]
            if isinstance(value, dict):
                if part not in value:
                    return default
                value = value[part]
            elif isinstance(value, Unknown):
                return value
            else:
                return default
        return value

    def line_of(self, attribute: str) -> int:
        return self.attribute_lines.get(attribute, self.location.line)


def _one_value(value: Any, what: str) -> Any:
    try:
        hash(value)
    except TypeError:
        kind = "map" if isinstance(value, dict) else "list"
        return Unknown(f"{what} of the provider is a {kind}, where Terraform expects one value")
    return value


class ProviderConfig(BaseModel):
    """A provider configuration of a unit: `provider "aws" { alias = "west" region = ... }`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str  # "aws"
    alias: str | None = None
    region: Any = None  # Region
    location: Location | None = None
    # Other arguments rules read (`sts_region`, `endpoints.sts`), when the block sets them, as
    # (name, value or Unknown) pairs; `setting()` reads one. Credentials are never kept.
    settings: tuple[tuple[str, Any], ...] = ()

    # A configuration is hashed (units key provider zones by it): a list or map where one value
    # belongs (`sts_region = formatlist(...)`, a plan's `region: [1]`) is refused by Terraform
    # and is unknown here, never an unhashable field.
    @field_validator("region")
    @classmethod
    def _one_region(cls, value: Any) -> Any:
        return _one_value(value, "the region")

    @field_validator("settings")
    @classmethod
    def _one_value_each(cls, settings: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
        return tuple((name, _one_value(value, name)) for name, value in settings)

    @property
    def key(self) -> str:
        return f"{self.name}.{self.alias}" if self.alias else self.name

    def setting(self, name: str) -> Any:
        """A kept argument's value (or Unknown); None when the block does not set it."""
        return next((value for key, value in self.settings if key == name), None)


class Note(BaseModel):
    """Something a parser could not do for a unit that the user should know (a registry module
    that cannot be fetched offline). Reported at note level, never as a warning."""

    model_config = ConfigDict(frozen=True)

    message: str
    location: Location


# A reference into another unit: `@<unit id>//<address>`. Terraform addresses never start with
# `@` and display paths never hold `//`, so the two parts always split apart.
FOREIGN = "@"


def foreign_ref(unit_id: str, address: str) -> str:
    """How a value that flows in from another unit (a remote state's output) names that unit's
    resource, so `Unit.resolve` can find it there."""
    return f"{FOREIGN}{unit_id}//{address}"


_IMPORT = f"{FOREIGN}import:"
# An export name made of a stack's name and known text (`${AWS::StackName}-Bucket`) is spelt
# `*-Bucket`; CloudFormation export names never hold `*`.
STACK_NAME_PATTERN = "*"


def import_ref(export_name: str) -> str:
    """How a CloudFormation `Fn::ImportValue` names the value another stack exports, so that
    `Unit.resolve` can find the exporting stack's resources once the systems step has run."""
    return f"{_IMPORT}{export_name}"


def split_import_ref(ref: str) -> str | None:
    """The export name of an `import_ref`, None for any other reference."""
    return ref[len(_IMPORT) :] if ref.startswith(_IMPORT) else None


def stack_instance_regions(groups: object) -> list[str] | None:
    """The regions of a CloudFormation StackSet's `StackInstancesGroup`, sorted, when every one
    is known; None otherwise."""
    if not isinstance(groups, list) or not groups:
        return None
    regions: set[str] = set()
    for group in groups:
        listed = group.get("Regions") if isinstance(group, dict) else None
        if not isinstance(listed, list) or not all(isinstance(r, str) for r in listed):
            return None
        regions.update(listed)
    return sorted(regions)


def split_foreign_ref(ref: str) -> tuple[str, str] | None:
    """(unit id, address) of a `foreign_ref`, None for a reference inside the unit."""
    if not ref.startswith(FOREIGN) or "//" not in ref or ref.startswith(_IMPORT):
        return None
    unit_id, _, address = ref[len(FOREIGN) :].partition("//")
    return unit_id, address


class Backend(BaseModel):
    """Where a Terraform root keeps its state: `terraform { backend "s3" {...} }` (with
    `*.tfbackend` partial configuration) or `cloud {}`. `address` identifies the state
    ("s3://bucket/key", "remote://org/workspace"); None when a part of it is not known."""

    model_config = ConfigDict(frozen=True)

    kind: str  # "s3", "gcs", "azurerm", "remote", "cloud", "local"...
    address: str | None
    location: Location
    declared: bool = True  # False: no backend block, the local state Terraform uses then
    # The parts that identify the state that are known (("bucket", "tf-state"), ("key", ...)),
    # for a read that knows only some of its own (`state.partial_match`).
    parts: tuple[tuple[str, str], ...] = ()
    # The block leaves parts out and no `*.tfbackend` file gives them: `terraform init
    # -backend-config=key=...` on the command line (a script) does.
    parts_at_init: bool = False


class StateRead(BaseModel):
    """A read of another root's state: `data "terraform_remote_state"` or `data "tfe_outputs"`."""

    model_config = ConfigDict(frozen=True)

    name: str  # "data.terraform_remote_state.primary"
    kind: str  # the backend kind it reads
    address: str | None  # the state it reads, spelt as `Backend.address`; None when not known
    location: Location
    parts: tuple[tuple[str, str], ...] = ()  # the known parts of the state it reads (`Backend.parts`)
    outputs_used: tuple[str, ...] = ()  # output names the unit reads from it, sorted


def _private(model: BaseModel) -> dict[str, Any]:
    """A model's private attributes (`PrivateAttr`), read straight from where pydantic keeps
    them. `model._name` goes through pydantic's `__getattr__`, which first asks the attribute's
    declaration whether it is a descriptor, an AttributeError raised and caught each time: with
    rules reading units' indexes hundreds of thousands of times per scan, that was a tenth of a
    cold scan of the generated monorepo (issue 18)."""
    private = model.__pydantic_private__
    assert private is not None  # a model with private attributes always has them
    return private


class Unit(BaseModel):
    """A deployment unit: a Terraform root module with the local modules it calls, or a
    CloudFormation stack (template)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str  # "infra/db" (a root module's folder) or "stacks/app.yaml" (a template)
    source: SourceKind
    location: Location  # where unit-level findings anchor
    files: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    providers: tuple[ProviderConfig, ...] = ()
    # CloudFormation: the regions the stack is deployed to, when configuration or StackSet
    # instances declare them; empty when unknown.
    deploy_regions: tuple[str, ...] = ()
    # CloudFormation: a stack deployed to several regions is a copy in each; each copy is the
    # template built again in its one region (`AWS::Region` known, so conditions, mappings and
    # `${AWS::Region}` texts decided), in region order. The outage simulation judges the copies;
    # rules judge the unit itself. A copy's id is `<unit id>@<region>` and `copy_of` names the unit.
    copies: tuple[Unit, ...] = ()
    copy_of: str | None = None
    # CloudFormation: what deploys the template, when it is not deployed on its own: "StackSet
    # Fleet (org.yaml)". Its regions and parameter values are the unit's.
    deployed_by: str | None = None
    # CloudFormation: the CDK cloud assembly (its `manifest.json`, display path) that lists the
    # stack, whatever its environment; the stacks of one app are deployed together.
    app: str | None = None
    # CloudFormation: the values the stack exports (`Outputs` with a known `Export.Name`), by
    # name: the addresses of the stack's resources each value is read from.
    exports: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # CloudFormation: the names of the template's `Parameters` (what values given from outside
    # can set), in template order.
    parameters: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    # Terraform: where the root keeps its state, and the states of other roots it reads; the
    # systems step links a reader to the unit whose backend has the same address.
    backend: Backend | None = None
    state_reads: tuple[StateRead, ...] = ()
    # CloudFormation: the template's own `Metadata: {resilint: ...}` (template-level suppressions)
    metadata: dict[str, Any] = Field(default_factory=dict)
    # Terraform: the folder looks like a module library rather than something deployed as is: it
    # configures no provider and no backend, has no tfvars, and sits in a `modules` folder or
    # requires an input nothing gives it.
    module_like: bool = False

    _by_address: dict[str, Resource] | None = PrivateAttr(default=None)
    _by_type: dict[str, list[Resource]] | None = PrivateAttr(default=None)
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)
    # Resolves references into other units of the unit's system (`foreign_ref`); set by the
    # systems step.
    _outside: Callable[[str], list[Resource]] | None = PrivateAttr(default=None)
    _others: Callable[[str], Unit | None] | None = PrivateAttr(default=None)
    # The resources of other units that import one of this unit's exports; set by the systems step.
    _importers: Callable[[str], list[tuple[Resource, Reference]]] | None = PrivateAttr(default=None)
    # The resources of other units that refer to this unit's resources (`foreign_ref`); set by
    # the systems step.
    _referrers: Callable[[], list[tuple[Resource, Reference]]] | None = PrivateAttr(default=None)

    @property
    def copy_region(self) -> str | None:
        """The region of a copy of a stack deployed to several regions (`copies`); None for
        any other unit."""
        return self.deploy_regions[0] if self.copy_of is not None and self.deploy_regions else None

    def other_unit(self, unit_id: str) -> Unit | None:
        """Another unit of the project (the one a `foreign_ref` names), once the systems step
        has run; None before, or when there is no such unit."""
        return self._others(unit_id) if self._others is not None else None

    def importers(self, export_name: str) -> list[tuple[Resource, Reference]]:
        """The resources of other units of the project that import this unit's export
        `export_name` (`Fn::ImportValue`), each with the reference that does, once the systems
        step has run; empty before."""
        return self._importers(export_name) if self._importers is not None else []

    def referrers(self) -> list[tuple[Resource, Reference]]:
        """The resources of other units of the project that refer to one of this unit's
        resources through another unit's outputs (a `terraform_remote_state` read, a Terragrunt
        dependency: the reference's target is a `foreign_ref` to this unit), each with the
        reference, once the systems step has run; empty before."""
        return self._referrers() if self._referrers is not None else []

    def derived(self, key: str, compute: Callable[[Unit], T]) -> T:
        """A value computed from this unit once and shared by every rule (an index, a graph of
        relations). `key` names it; `compute` is called the first time only."""
        derived = _private(self)["_derived"]
        if key not in derived:
            derived[key] = compute(self)
        value: T = derived[key]
        return value

    def _index(self) -> None:
        by_address: dict[str, Resource] = {}
        by_type: dict[str, list[Resource]] = {}
        for resource in self.resources:
            by_address[resource.address] = resource
            by_type.setdefault(resource.type, []).append(resource)
        self._by_address, self._by_type = by_address, by_type

    def of_type(self, *types: str) -> Iterator[Resource]:
        """Resources of the given types, in source order."""
        yield from self.resources_of(types)

    def resources_of(self, types: tuple[str, ...]) -> Sequence[Resource]:
        """`of_type`'s resources as a sequence (not to be changed): no generator to make and
        run for the many asked for in vain (a family asks each unit for every spelling it has,
        of which a unit holds few)."""
        by_type: dict[str, list[Resource]] | None = _private(self)["_by_type"]
        if by_type is None:
            self._index()
            by_type = _private(self)["_by_type"]
            assert by_type is not None
        if len(types) == 1:
            return by_type.get(types[0], ())
        present = by_type.keys() & types  # without a Python step per type asked for
        if len(present) > 1:  # interleaved in the source: its order is the resources' own
            return [r for r in self.resources if r.type in present]
        return by_type[present.pop()] if present else ()

    def resource(self, address: str) -> Resource | None:
        by_address = _private(self)["_by_address"]
        if by_address is None:
            self._index()
            by_address = _private(self)["_by_address"]
        found: Resource | None = by_address.get(address)
        return found

    def resolve(self, target: str) -> list[Resource]:
        """Resources a reference target names: the exact instance, or every instance of a
        counted / for_each resource when the target has no instance key."""
        if target.startswith(FOREIGN):
            return self._outside(target) if self._outside is not None else []
        exact = self.resource(target)
        if exact is not None:
            return [exact]
        prefix = target + "["
        return [r for r in self.resources if r.address.startswith(prefix)]


class Problem(BaseModel):
    """A file that could not be read or parsed (RES001)."""

    model_config = ConfigDict(frozen=True)

    message: str
    location: Location


LinkKind = Literal[
    "remote-state",  # a unit reads another unit's state (terraform_remote_state, tfe_outputs)
    "region-sibling",  # the same root deployed once per region (folders differ by a region)
    "terragrunt-dependency",  # a Terragrunt unit's dependency block
    "nested-stack",  # AWS::CloudFormation::Stack with a local TemplateURL
    "import-value",  # a stack's Fn::ImportValue of what another stack exports
    "stack-set",  # a StackSet deploying a local template
    "deployment-config",  # samconfig, CDK manifest
    "configured",  # [[systems]] in configuration
]


class Link(BaseModel):
    """Why two units belong to one system: `source` reads from, deploys or sits beside `target`."""

    model_config = ConfigDict(frozen=True)

    kind: LinkKind
    source: str  # unit id (a nested stack's link: the template that nests it)
    target: str  # unit id (a nested stack's link: its template, read into the source's unit)
    reason: str  # in words a user can check: "reads the state of infra/dr (s3://b/dr.tfstate)"
    location: Location | None = None  # where the code makes the link


class System(BaseModel):
    """A set of deployment units deployed together, found from the code (remote state, region
    folders, Terragrunt, nested stacks, StackSets, deployment configuration) or declared in
    configuration. A unit that nothing links is a system of its own."""

    model_config = ConfigDict(frozen=True)

    name: str
    units: tuple[str, ...]  # unit ids, sorted
    # Known regions each unit deploys to, by unit id (empty when none is known).
    unit_regions: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    links: tuple[Link, ...] = ()
    configured: bool = False  # declared by [[systems]] in configuration
    # A module library, not a deployment: a Terraform folder that configures no provider and no
    # backend, that nothing in the scan calls or links. No rule judges it on its variables'
    # defaults; it is judged where it is called.
    library: bool = False
    # Regions configuration declares for the whole system (a pipeline deploys it there).
    declared_regions: tuple[str, ...] = ()

    @property
    def regions(self) -> tuple[str, ...]:
        """Every known region of the system, sorted."""
        found = set(self.declared_regions)
        for regions in self.unit_regions.values():
            found.update(regions)
        return tuple(sorted(found))


class Objective(BaseModel):
    """A resilience objective from configuration: the systems (globs) that must survive each
    failure `survive` names (`any-region`, `any-zone`, `any-dns-provider`, a scenario, a target)."""

    model_config = ConfigDict(frozen=True)

    systems: tuple[str, ...]
    survive: tuple[str, ...]
    # The configuration file's folder (absolute): `systems` globs are written relative to it, as
    # `[[systems]]` units are, so they hold from any working directory. None: as displayed.
    root: str | None = None


class Project(BaseModel):
    """Everything one scan sees."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    units: tuple[Unit, ...] = ()
    problems: tuple[Problem, ...] = ()
    files_scanned: int = 0
    # Facts the code does not hold, from configuration: DNS providers that serve a domain from
    # outside the scanned code (a secondary configured by hand), by lower-case domain name.
    external_dns: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # Per-rule options from configuration, by rule id: {"RES203": {"ttl_warning": 120}}.
    rule_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # The systems the units form (resilint.systems); empty until that step has run.
    systems: tuple[System, ...] = ()
    # Resilience objectives from configuration ([[objectives]]), for RES501.
    objectives: tuple[Objective, ...] = ()

    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)

    def derived(self, key: str, compute: Callable[[Project], T]) -> T:
        """A value computed from the whole project once and shared by every rule and unit (a
        project-wide index, e.g. DNS zones by domain)."""
        # Keyed by the units too: a copy with other units (model_copy) shares this dict.
        slot = f"{key}@{id(self.units):x}"
        derived = _private(self)["_derived"]
        if slot not in derived:
            derived[slot] = compute(self)
        value: T = derived[slot]
        return value

    def resources(self) -> Iterator[Resource]:
        for unit in self.units:
            yield from unit.resources

    def unit(self, unit_id: str) -> Unit | None:
        return self.derived("model.units", lambda p: {u.id: u for u in p.units}).get(unit_id)

    def system_of(self, unit: Unit | str) -> System | None:
        """The system a unit belongs to; None before the systems step has run."""
        unit_id = unit if isinstance(unit, str) else unit.id
        # Keyed by the systems themselves: a copy with systems added shares `_derived`.
        slot = f"model.systems@{id(self.systems):x}"
        derived = _private(self)["_derived"]
        if slot not in derived:
            derived[slot] = {u: s for s in self.systems for u in s.units}
        index: dict[str, System] = derived[slot]
        return index.get(unit_id)
