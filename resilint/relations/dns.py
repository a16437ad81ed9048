"""DNS relations for the RES2xx rules and the DNS failover rules (RES301, RES307).

Built once per unit through `Unit.derived` and shared by every rule:

- `zones(unit)`: the hosted zones of every DNS provider, with their domain, whether they are
  public, and whether another provider is wired in as primary or secondary.
- `records(unit)`: DNS records of every provider in one shape. Route 53 records come from
  `aws_route53_record`, `AWS::Route53::RecordSet` and every element of
  `AWS::Route53::RecordSetGroup.RecordSets`; each knows its zone (through the reference to the
  zone resource where there is one), its name as a fully qualified domain name when the zone's
  name is known, its type, routing policy, health check, alias target, TTL and answers.
- `name_server_sets(unit)`: delegation evidence: the name servers a registrar resource names for
  a domain, and NS records (a parent zone delegating a sub-domain, or a zone's own apex NS
  set), each classified to DNS providers by reference first (`aws_route53_zone.x.name_servers`
  is Route 53 whatever the host names) and by host name otherwise.
- `project_index(project)`: the same across every unit of the project, by domain, for the
  rules that compare units (a zone in one root module, its secondary in another);
  `deployed_index(project)` the same with the records each copy of a CloudFormation stack
  deployed to several regions makes (`Unit.copies`) in place of the template's.

Values that cannot be resolved stay unknown: a record whose zone, name or type is unknown is
kept (it may be the counterpart another record needs) but never judged on what is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from resilint.arguments import absence_is_known, as_bool, block_or_unknown, is_empty, is_set
from resilint.families.dns import HEALTH_CHECKS
from resilint.families.edge import CDN_DISTRIBUTIONS
from resilint.model import Project, Resource, Unit, Unknown, UnknownList, unknowns_in
from resilint.relations.dns_providers import (
    REGISTRAR_TYPES,
    ZONE_TYPES,
    family_of_hostname,
    normalize_domain,
)

HEALTH_CHECK_TYPES = HEALTH_CHECKS.types
CLOUDFRONT_TYPES = CDN_DISTRIBUTIONS.types_of("cloudfront")
CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2"  # the fixed hosted zone of every CloudFront alias



@dataclass(frozen=True)
class _Route53Spelling:
    """How Terraform and CloudFormation spell the same Route 53 record arguments."""

    name: str
    type: str
    ttl: str
    records: str
    health_check: str
    set_identifier: str
    multivalue: str
    policies: dict[str, str]  # argument -> routing policy


_TERRAFORM = _Route53Spelling(
    name="name",
    type="type",
    ttl="ttl",
    records="records",
    health_check="health_check_id",
    set_identifier="set_identifier",
    multivalue="multivalue_answer_routing_policy",
    policies={
        "failover_routing_policy": "failover",
        "weighted_routing_policy": "weighted",
        "latency_routing_policy": "latency",
        "geolocation_routing_policy": "geolocation",
        "geoproximity_routing_policy": "geoproximity",
        "cidr_routing_policy": "cidr",
    },
)
_CLOUDFORMATION = _Route53Spelling(
    name="Name",
    type="Type",
    ttl="TTL",
    records="ResourceRecords",
    health_check="HealthCheckId",
    set_identifier="SetIdentifier",
    multivalue="MultiValueAnswer",
    policies={
        "Failover": "failover",
        "Weight": "weighted",
        "Region": "latency",
        "GeoLocation": "geolocation",
        "GeoProximityLocation": "geoproximity",
        "CidrRoutingConfig": "cidr",
    },
)
_AZURE_RECORD_TYPES = {
    "azurerm_dns_a_record": "A",
    "azurerm_dns_aaaa_record": "AAAA",
    "azurerm_dns_cname_record": "CNAME",
    "azurerm_dns_ns_record": "NS",
}
_CLOUDFLARE_RECORD_TYPES = ("cloudflare_dns_record", "cloudflare_record")  # v5, v4



# Zones ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Zone:
    """A hosted zone at one DNS provider."""

    resource: Resource
    family: str  # "route53", "cloudflare"... (see dns_providers.DISPLAY)
    domain: str | None  # lower case, no trailing dot; None when unknown
    public: bool | None  # None when unknown
    # False when the provider does not answer for the zone (a Cloudflare "partial" zone is a
    # CNAME setup: its authoritative DNS is elsewhere); None when unknown.
    authoritative: bool | None = True
    # True when the zone itself wires in another provider (NS1 `primary`/`secondaries`,
    # Cloudflare or Akamai secondary zones, Akamai outbound zone transfers); None when unknown.
    external_partner: bool | None = False


def zones(unit: Unit) -> tuple[Zone, ...]:
    return unit.derived("relations.dns.zones", _build_zones)


def zone_at(unit: Unit, address: str) -> Zone | None:
    by_address = unit.derived("relations.dns.zones_by_address", lambda u: {z.resource.address: z for z in zones(u)})
    return by_address.get(address)


def _build_zones(unit: Unit) -> tuple[Zone, ...]:
    found = []
    for resource in unit.of_type(*ZONE_TYPES):
        family, name_attributes = ZONE_TYPES[resource.type]
        name: Any = None
        for attribute in name_attributes:
            if attribute in resource.attributes:
                name = resource.attributes[attribute]
                break
        zone = Zone(resource=resource, family=family, domain=normalize_domain(name), public=True)
        _refine_zone(zone)
        found.append(zone)
    return tuple(found)


def _refine_zone(zone: Zone) -> None:
    resource = zone.resource
    kind = resource.type
    if kind == "aws_route53_zone":
        zone.public = is_empty(resource.attributes.get("vpc"))
    elif kind == "AWS::Route53::HostedZone":
        zone.public = is_empty(resource.attributes.get("VPCs"))
    elif kind == "google_dns_managed_zone":
        visibility = resource.attributes.get("visibility")
        zone.public = None if isinstance(visibility, Unknown) else str(visibility or "public").lower() == "public"
    elif kind == "cloudflare_zone":
        zone_type = resource.attributes.get("type")
        if isinstance(zone_type, Unknown):
            zone.authoritative = zone.public = None
        elif zone_type == "partial":
            zone.authoritative = False
        elif zone_type == "internal":
            zone.public = False
        elif zone_type == "secondary":
            zone.external_partner = True  # transferred from a primary elsewhere
    elif kind == "ns1_zone":
        # `primary`/`additional_primaries`: NS1 is a secondary of another server; `secondaries`:
        # other servers transfer the zone from NS1.
        for argument in ("primary", "additional_primaries", "secondaries"):
            present = is_set(resource.attributes.get(argument))
            if present is None and zone.external_partner is False:
                zone.external_partner = None
            elif present:
                zone.external_partner = True
                break
    elif kind == "akamai_dns_zone":
        zone_type = resource.attributes.get("type")
        transfer = resource.get("outbound_zone_transfer.enabled")
        if isinstance(zone_type, Unknown) or isinstance(transfer, Unknown):
            zone.external_partner = None
        elif str(zone_type).lower() == "secondary" or as_bool(transfer) is True:
            zone.external_partner = True  # masters elsewhere, or transfers out to other servers





# Zone identity of a record --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ZoneRef:
    """Which zone a record belongs to, as far as the code says.

    `kind` is "resource" (the zone resource is in the unit: `zone`), "id" (a literal Route 53
    hosted zone id), "domain" (a zone named by its domain, e.g. CloudFormation
    `HostedZoneName`), "label" (a provider's own zone name, e.g. Cloud DNS `managed_zone`) or
    "unknown" (a variable, a data source, a module output).
    """

    kind: str
    value: str
    unit: str
    zone: Zone | None = None
    public: bool | None = None

    @property
    def domain(self) -> str | None:
        if self.zone is not None:
            return self.zone.domain
        return self.value if self.kind == "domain" else None


def zone_label(zone: ZoneRef) -> str:
    """How messages name a record's zone."""
    if zone.kind == "resource":
        return zone.value
    if zone.kind == "id":
        return f"hosted zone {zone.value}"
    if zone.kind in ("domain", "label"):
        return f"zone {zone.value}"
    return "its zone"


def may_be_same_zone(a: ZoneRef, b: ZoneRef) -> bool:
    """False only when the code shows two different zones."""
    if a.kind == "unknown" or b.kind == "unknown":
        return True
    if a.kind == b.kind == "resource":
        if a.unit == b.unit:
            return a.value == b.value
        return _same_unless_known_different(a.domain, b.domain) and _same_unless_known_different(a.public, b.public)
    if a.kind == b.kind:
        return a.value == b.value
    if {a.kind, b.kind} <= {"resource", "domain"}:
        return _same_unless_known_different(a.domain, b.domain)
    return True


def _same_unless_known_different(x: Any, y: Any) -> bool:
    return x is None or y is None or x == y


# Records ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Alias:
    """A Route 53 alias target."""

    name: Any
    zone_id: Any
    evaluate_target_health: bool | None  # None when unknown
    path: str  # attribute path of the alias in its resource ("alias[0]", "AliasTarget")
    targets: tuple[Resource, ...] = ()  # resources the alias points at, where referenced

    @property
    def is_cloudfront(self) -> bool:
        """True when the code shows a CloudFront distribution target, whose health Route 53
        cannot evaluate ("You can't set EvaluateTargetHealth to true when the alias target is
        a CloudFront distribution", Route 53 API reference, AliasTarget)."""
        if any(t.type in CLOUDFRONT_TYPES for t in self.targets):
            return True
        if self.zone_id == CLOUDFRONT_HOSTED_ZONE_ID:
            return True
        name = normalize_domain(self.name)
        return name is not None and name.endswith(".cloudfront.net")


@dataclass(eq=False)
class Record:
    """One DNS record set as declared: one resource, or one element of a RecordSetGroup."""

    resource: Resource
    family: str
    zone: ZoneRef
    name: Any  # as written: str, Unknown, or None
    fqdn: str | None  # fully qualified, lower case, no trailing dot; None when not known
    rtype: str | None  # upper case; None when unknown
    # Routing policies in use ("failover", "weighted"...; empty for a simple record); None when
    # some policy is unknown (a dynamic block, an unresolved condition).
    routing: frozenset[str] | None
    failover: Any = None  # "PRIMARY", "SECONDARY", None (no failover policy) or an Unknown
    health_check: Any = None  # the health check id as written; None when there is none
    health_check_path: str = ""
    alias: Alias | Unknown | None = None
    ttl: Any = None
    answers: Any = None  # list of values, an Unknown, or None
    answers_path: str = ""
    set_identifier: Any = None
    element: int | None = None  # index in AWS::Route53::RecordSetGroup.RecordSets
    ttl_argument: str = "ttl"

    @property
    def label(self) -> str:
        """How messages name the record."""
        if self.element is not None:
            return f"{self.resource.address} (RecordSets[{self.element}])"
        return self.resource.address

    @property
    def source(self) -> str:
        return self.resource.source

    @property
    def shown_name(self) -> str:
        """The record's name for messages: its FQDN, else the name as written."""
        if self.fqdn is not None:
            return self.fqdn
        return self.name if isinstance(self.name, str) else "(name not known)"



def records(unit: Unit) -> tuple[Record, ...]:
    return unit.derived("relations.dns.records", _build_records)


def _build_records(unit: Unit) -> tuple[Record, ...]:
    found: list[Record] = []
    for resource in unit.resources:
        if resource.type == "aws_route53_record":
            found.append(_terraform_route53(unit, resource))
        elif resource.type == "AWS::Route53::RecordSet":
            found.append(_cloudformation_route53(unit, resource, resource.attributes, None, resource.attributes))
        elif resource.type == "AWS::Route53::RecordSetGroup":
            found.extend(_record_set_group(unit, resource))
        elif resource.type in _AZURE_RECORD_TYPES:
            found.append(_azure(unit, resource))
        elif resource.type == "google_dns_record_set":
            found.append(_google(unit, resource))
        elif resource.type in _CLOUDFLARE_RECORD_TYPES:
            found.append(_cloudflare(unit, resource))
        elif resource.type == "ns1_record":
            found.append(_ns1(unit, resource))
    return tuple(found)


def _terraform_route53(unit: Unit, resource: Resource) -> Record:
    attributes = resource.attributes
    zone = _zone_ref(unit, resource, "zone_id", attributes.get("zone_id"), ("aws_route53_zone",), "id")
    failover: Any = None
    block = block_or_unknown(attributes.get("failover_routing_policy"))
    if isinstance(block, Unknown):
        failover = block
    elif block is not None:
        failover = _failover_type(block.get("type"))
    alias: Alias | Unknown | None = None
    block = block_or_unknown(attributes.get("alias"))
    if isinstance(block, Unknown):
        alias = block
    elif block is not None:
        evaluate = block.get("evaluate_target_health")  # required by the provider
        alias = Alias(
            name=block.get("name"),
            zone_id=block.get("zone_id"),
            evaluate_target_health=None if evaluate is None else as_bool(evaluate),
            path="alias[0]",
            targets=_targets(unit, resource, "alias[0].name", block.get("name")),
        )
    return _route53_record(unit, resource, attributes, _TERRAFORM, "", None, zone, failover, alias)


def _record_set_group(unit: Unit, resource: Resource) -> Iterator[Record]:
    items = resource.attributes.get("RecordSets")
    if isinstance(items, Unknown):
        items = [items]  # how many and which: unknown
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield _cloudformation_route53(unit, resource, item, index, resource.attributes)
        elif isinstance(item, Unknown):
            # An element decided at deploy time (Fn::If): anything in it is unknown, and it may
            # be the counterpart another record needs.
            unknown = {key: item for key in ("Name", "Type", "Failover", "HealthCheckId", "AliasTarget", "TTL")}
            yield _cloudformation_route53(unit, resource, unknown, index, resource.attributes)


def _cloudformation_route53(
    unit: Unit, resource: Resource, properties: dict[str, Any], element: int | None, group: dict[str, Any]
) -> Record:
    prefix = f"RecordSets[{element}]." if element is not None else ""
    # An element may name its zone itself; otherwise the group's zone applies.
    if "HostedZoneId" in properties or "HostedZoneName" in properties:
        zone_properties, zone_prefix = properties, prefix
    else:
        zone_properties, zone_prefix = group, ""
    argument = "HostedZoneId" if "HostedZoneId" in zone_properties else "HostedZoneName"
    zone = _zone_ref(
        unit,
        resource,
        zone_prefix + argument,
        zone_properties.get(argument),
        ("AWS::Route53::HostedZone",),
        "id" if argument == "HostedZoneId" else "domain",
    )
    failover = properties.get("Failover")
    failover = failover if isinstance(failover, Unknown) else _failover_type(failover)
    alias: Alias | Unknown | None = None
    target = properties.get("AliasTarget")
    if isinstance(target, Unknown):
        alias = target
    elif isinstance(target, dict):
        evaluate = target.get("EvaluateTargetHealth", False)  # optional, false by default
        alias = Alias(
            name=target.get("DNSName"),
            zone_id=target.get("HostedZoneId"),
            evaluate_target_health=as_bool(evaluate),
            path=prefix + "AliasTarget",
            targets=_targets(unit, resource, prefix + "AliasTarget.DNSName", target.get("DNSName")),
        )
    return _route53_record(unit, resource, properties, _CLOUDFORMATION, prefix, element, zone, failover, alias)


def _route53_record(
    unit: Unit,
    resource: Resource,
    values: dict[str, Any],
    spelling: _Route53Spelling,
    prefix: str,
    element: int | None,
    zone: ZoneRef,
    failover: Any,
    alias: Alias | Unknown | None,
) -> Record:
    """The parts of a Route 53 record that both languages write the same way."""
    policies: set[str] = set()
    unknown = False
    for argument, policy in spelling.policies.items():
        present = is_set(values.get(argument))
        if present is None:
            unknown = True
        elif present:
            policies.add(policy)
    multivalue = values.get(spelling.multivalue)
    if isinstance(multivalue, Unknown):
        unknown = True
    elif as_bool(multivalue) is True:
        policies.add("multivalue")
    name = values.get(spelling.name)
    return Record(
        resource=resource,
        family="route53",
        zone=zone,
        name=name,
        # Terraform appends the zone's name to a relative name; CloudFormation names are FQDNs.
        fqdn=_route53_fqdn(name, zone.domain, relative=spelling is _TERRAFORM),
        rtype=_record_type(values.get(spelling.type)),
        routing=None if unknown else frozenset(policies),
        failover=failover,
        health_check=values.get(spelling.health_check),
        health_check_path=prefix + spelling.health_check,
        alias=alias,
        ttl=values.get(spelling.ttl),
        answers=values.get(spelling.records),
        answers_path=prefix + spelling.records,
        set_identifier=values.get(spelling.set_identifier),
        element=element,
        ttl_argument=spelling.ttl,
    )


def _azure(unit: Unit, resource: Resource) -> Record:
    attributes = resource.attributes
    zone = _zone_ref(unit, resource, "zone_name", attributes.get("zone_name"), ("azurerm_dns_zone",), "domain")
    zone = ZoneRef(zone.kind, zone.value, zone.unit, zone.zone, public=True)  # private zones have their own types
    rtype = _AZURE_RECORD_TYPES[resource.type]
    answers: Any = attributes.get("records")
    path = "records"
    if rtype == "CNAME":
        answers = [attributes["record"]] if "record" in attributes else None
        path = "record"
    if answers is None and attributes.get("target_resource_id") is not None:
        answers, path = [attributes["target_resource_id"]], "target_resource_id"
    return Record(
        resource=resource,
        family="azure",
        zone=zone,
        name=attributes.get("name"),
        fqdn=_relative_fqdn(attributes.get("name"), zone.domain),
        rtype=rtype,
        routing=frozenset(),
        ttl=attributes.get("ttl"),
        answers=answers,
        answers_path=path,
    )


def _google(unit: Unit, resource: Resource) -> Record:
    attributes = resource.attributes
    zone = _zone_ref(
        unit, resource, "managed_zone", attributes.get("managed_zone"), ("google_dns_managed_zone",), "label"
    )
    present = is_set(attributes.get("routing_policy"))
    return Record(
        resource=resource,
        family="clouddns",
        zone=zone,
        name=attributes.get("name"),
        fqdn=normalize_domain(attributes.get("name")),  # Cloud DNS names are fully qualified
        rtype=_record_type(attributes.get("type")),
        routing=None if present is None else (frozenset({"routing_policy"}) if present else frozenset()),
        ttl=attributes.get("ttl"),
        answers=attributes.get("rrdatas"),
        answers_path="rrdatas",
    )


def _cloudflare(unit: Unit, resource: Resource) -> Record:
    attributes = resource.attributes
    zone = _zone_ref(unit, resource, "zone_id", attributes.get("zone_id"), ("cloudflare_zone",), "id")
    # v5 and v4 >= 4.x write the answer as `content`; older v4 as `value`.
    argument = "content" if "content" in attributes else "value"
    answers = [attributes[argument]] if argument in attributes else None
    return Record(
        resource=resource,
        family="cloudflare",
        zone=zone,
        name=attributes.get("name"),
        fqdn=_relative_fqdn(attributes.get("name"), zone.domain),
        rtype=_record_type(attributes.get("type")),
        routing=frozenset(),
        ttl=attributes.get("ttl"),
        answers=answers,
        answers_path=argument,
    )


def _ns1(unit: Unit, resource: Resource) -> Record:
    attributes = resource.attributes
    zone = _zone_ref(unit, resource, "zone", attributes.get("zone"), ("ns1_zone",), "domain")
    blocks = attributes.get("answers")
    answers: Any
    if isinstance(blocks, list):
        answers = [b.get("answer") if isinstance(b, dict) else b for b in blocks]
    else:
        answers = blocks
    present = is_set(attributes.get("filters"))
    return Record(
        resource=resource,
        family="ns1",
        zone=zone,
        name=attributes.get("domain"),
        fqdn=normalize_domain(attributes.get("domain")),  # NS1 `domain` is fully qualified
        rtype=_record_type(attributes.get("type")),
        routing=None if present is None else (frozenset({"filters"}) if present else frozenset()),
        ttl=attributes.get("ttl"),
        answers=answers,
        answers_path="answers",
    )


def _failover_type(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().upper()
    return None


def _record_type(value: Any) -> str | None:
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


def _route53_fqdn(name: Any, zone_domain: str | None, relative: bool) -> str | None:
    """Route 53 names are fully qualified; the Terraform provider appends the zone's name to a
    name that does not already end with it ("www" in example.com is www.example.com)."""
    if not isinstance(name, str):
        return None
    lowered = name.strip().rstrip(".").lower()
    if not relative:
        return lowered or None
    if zone_domain is None:
        return None
    if not lowered:
        return zone_domain
    if lowered == zone_domain or lowered.endswith("." + zone_domain):
        return lowered
    return f"{lowered}.{zone_domain}"


def _relative_fqdn(name: Any, zone_domain: str | None) -> str | None:
    """Names relative to their zone, "@" for the apex (Azure DNS, Cloudflare)."""
    if not isinstance(name, str) or zone_domain is None:
        return None
    lowered = name.strip().rstrip(".").lower()
    if lowered in ("", "@"):
        return zone_domain
    if lowered == zone_domain or lowered.endswith("." + zone_domain):
        return lowered
    return f"{lowered}.{zone_domain}"


def _zone_ref(
    unit: Unit, resource: Resource, path: str, value: Any, zone_types: tuple[str, ...], literal_kind: str
) -> ZoneRef:
    referenced = [r for r in _referenced(unit, resource, path, value) if r.type in zone_types]
    if len(referenced) == 1 and referenced[0].unit != unit.id:
        # Another unit's zone (a remote state's output): the same zone as that unit's records see.
        other = unit.other_unit(referenced[0].unit)
        zone = zone_at(other, referenced[0].address) if other is not None else None
        return ZoneRef("resource", referenced[0].address, referenced[0].unit, zone, zone.public if zone else None)
    if len(referenced) == 1:
        zone = zone_at(unit, referenced[0].address)
        return ZoneRef("resource", referenced[0].address, unit.id, zone, zone.public if zone else None)
    if isinstance(value, str) and value.strip():
        text = normalize_domain(value) if literal_kind == "domain" else value.strip()
        return ZoneRef(literal_kind, text or value, unit.id)
    return ZoneRef("unknown", repr(value), unit.id)


def _referenced(unit: Unit, resource: Resource, path: str, value: Any) -> list[Resource]:
    """Resources a value at `path` comes from: the unknowns' origins first (they carry instance
    keys), then the references recorded at that path."""
    found: list[Resource] = []
    for unknown in unknowns_in(value):
        for target in unknown.refs:
            found.extend(r for r in unit.resolve(target) if r not in found)
    if found:
        return found
    for reference in resource.references:
        if reference.path == path or reference.path.startswith((path + ".", path + "[")):
            found.extend(r for r in unit.resolve(reference.target) if r not in found)
    return found


def _targets(unit: Unit, resource: Resource, path: str, value: Any) -> tuple[Resource, ...]:
    return tuple(_referenced(unit, resource, path, value))


# Record sets: which records answer for the same name ----------------------------------------


def may_be_same_name(a: Record, b: Record) -> bool:
    """False only when the code shows two different names."""
    if a.fqdn is not None and b.fqdn is not None:
        return a.fqdn == b.fqdn
    x, y = _loose_name(a), _loose_name(b)
    if x is None or y is None:
        return True
    # One may be relative to a zone whose name is unknown: "www" and "www.example.com".
    return x == y or x.startswith(y + ".") or y.startswith(x + ".") or x in ("", "@") or y in ("", "@")


def _loose_name(record: Record) -> str | None:
    if record.fqdn is not None:
        return record.fqdn
    if isinstance(record.name, str):
        return record.name.strip().rstrip(".").lower()
    return None


def may_be_same_set(a: Record, b: Record) -> bool:
    """True unless the code shows that two records answer for different zones, names or types."""
    if a.rtype is not None and b.rtype is not None and a.rtype != b.rtype:
        return False
    return may_be_same_zone(a.zone, b.zone) and may_be_same_name(a, b)


# Health checks and targets ----------------------------------------------------------------


def health_checks(unit: Unit, record: Record) -> list[Resource]:
    """The health check resources a record's health check id refers to."""
    return [
        r
        for r in _referenced(unit, record.resource, record.health_check_path, record.health_check)
        if r.type in HEALTH_CHECK_TYPES
    ]


def answer_targets(unit: Unit, record: Record) -> tuple[Resource, ...] | None:
    """The resources a record's answers come from (an alias's target, the instances or
    addresses its values reference), or None when some answer's origin is not known."""
    if isinstance(record.alias, Unknown):
        return None
    if isinstance(record.alias, Alias):
        return record.alias.targets or None
    answers = record.answers
    if not isinstance(answers, list) or not answers:
        return None
    targets: list[Resource] = []
    for index, value in enumerate(answers):
        if not isinstance(value, Unknown):
            return None  # a literal: an address or host name whose owner the code does not show
        origin = _referenced(unit, record.resource, f"{record.answers_path}[{index}]", value)
        if not origin:
            return None
        targets.extend(r for r in origin if r not in targets)
    return tuple(targets)


# Name servers and delegation ----------------------------------------------------------------


@dataclass(eq=False)
class NameServerSet:
    """Name servers declared for a domain: by a registrar resource, by a parent zone's NS
    record ("delegation"), or by a zone's own apex NS record ("apex")."""

    resource: Resource
    domain: str | None
    kind: str  # "registrar" | "delegation" | "apex"
    families: frozenset[str]  # providers of the entries that could be classified
    complete: bool  # every entry was classified
    evidence: tuple[str, ...]  # how each provider was found, for messages
    records: tuple[Resource, ...] = field(default=())


def name_server_sets(unit: Unit) -> tuple[NameServerSet, ...]:
    return unit.derived("relations.dns.name_server_sets", _build_name_server_sets)


@dataclass
class _Classified:
    families: set[str] = field(default_factory=set)
    evidence: list[str] = field(default_factory=list)
    complete: bool = True

    def add(self, family: str, evidence: str) -> None:
        self.families.add(family)
        if evidence not in self.evidence:
            self.evidence.append(evidence)


def _build_name_server_sets(unit: Unit) -> tuple[NameServerSet, ...]:
    found: list[NameServerSet] = []
    for resource in unit.of_type(*REGISTRAR_TYPES):
        made = _registrar_set(unit, resource)
        if made is not None:
            found.append(made)
    # NS records: one Route 53 record holds the whole set; Cloudflare holds one value per record.
    groups: dict[tuple[str, str, str], list[Record]] = {}
    for record in records(unit):
        if record.rtype != "NS" or record.fqdn is None or record.zone.domain is None:
            continue
        if isinstance(record.routing, frozenset) and record.routing:
            continue  # weighted or failover NS sets are not a delegation we can read
        key = (record.zone.kind + ":" + record.zone.value, record.fqdn, record.family)
        groups.setdefault(key, []).append(record)
    for (_, fqdn, _), members in groups.items():
        classified = _Classified()
        for record in members:
            _classify(unit, record.resource, record.answers_path, record.answers, classified)
        zone_domain = members[0].zone.domain
        found.append(
            NameServerSet(
                resource=members[0].resource,
                domain=fqdn,
                kind="apex" if fqdn == zone_domain else "delegation",
                families=frozenset(classified.families),
                complete=classified.complete and bool(classified.families),
                evidence=tuple(classified.evidence),
                records=tuple(r.resource for r in members),
            )
        )
    return tuple(found)


def _registrar_set(unit: Unit, resource: Resource) -> NameServerSet | None:
    domain_argument, layout = REGISTRAR_TYPES[resource.type]
    domain = normalize_domain(resource.attributes.get(domain_argument))
    classified = _Classified()
    if layout == "blocks":
        value = resource.attributes.get("name_server")
        if isinstance(value, dict):
            value = [value]  # one block written as an object in .tf.json
        if value is None or value == []:
            if resource.type != "aws_route53domains_domain" or not absence_is_known(resource):
                return None  # the resource does not manage the domain's name servers
            # Registering a domain with Route 53 creates a public hosted zone for it and
            # delegates to that zone's name servers ("hosted_zone_id", provider docs).
            classified.add("route53", "the Route 53 hosted zone created with the registration")
        elif isinstance(value, Unknown):
            runs = value.parts if isinstance(value, UnknownList) else (value,)
            for run in runs:
                for block in run if isinstance(run, list) else [run]:
                    _classify(unit, resource, "name_server", block.get("name") if isinstance(block, dict) else block, classified)
        elif isinstance(value, list):
            for index, block in enumerate(value):
                if isinstance(block, dict):
                    _classify(unit, resource, f"name_server[{index}].name", block.get("name"), classified)
                else:
                    _classify(unit, resource, f"name_server[{index}]", block, classified)
        else:
            return None
    else:
        value = resource.get(layout)
        if value is None:
            return None
        _classify(unit, resource, layout.replace(".", "[0].") if "." in layout else layout, value, classified)
    return NameServerSet(
        resource=resource,
        domain=domain,
        kind="registrar",
        families=frozenset(classified.families),
        complete=classified.complete and bool(classified.families),
        evidence=tuple(classified.evidence),
    )


def _classify(unit: Unit, resource: Resource, path: str, value: Any, into: _Classified) -> None:
    """Add the providers of the name servers in `value` (a host name, a list of them, or an
    unknown computed from zone resources)."""
    if value is None:
        return
    if isinstance(value, str):
        family = family_of_hostname(value)
        if family is None:
            into.complete = False
        else:
            into.add(family, value.strip().rstrip(".").lower())
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _classify(unit, resource, f"{path}[{index}]", item, into)
        return
    if isinstance(value, UnknownList):
        for part in value.parts:
            if isinstance(part, Unknown) and not part.refs:
                into.complete = False
            else:
                _classify(unit, resource, path, part, into)
        return
    if isinstance(value, Unknown):
        # Classified by reference: the name servers of aws_route53_zone.x are Route 53's
        # whatever their host names. Anything computed from other sources stays unknown.
        origins = _referenced(unit, resource, path, value) if value.refs else []
        zone_origins = [r for r in origins if r.type in ZONE_TYPES]
        if not origins or len(zone_origins) != len(origins):
            into.complete = False
            return
        for origin in zone_origins:
            into.add(ZONE_TYPES[origin.type][0], f"{origin.address} name servers")
        return
    into.complete = False


# The project's view -----------------------------------------------------------------------


@dataclass
class DnsIndex:
    """Zones, delegation evidence and records of every unit of a project."""

    zones_by_domain: dict[str, list[Zone]] = field(default_factory=dict)
    zones_without_domain: list[Zone] = field(default_factory=list)
    name_servers_by_domain: dict[str, list[NameServerSet]] = field(default_factory=dict)
    records: list[tuple[Unit, Record]] = field(default_factory=list)  # in unit and source order
    _by_fqdn: dict[str, list[int]] = field(default_factory=dict)
    _without_fqdn: list[int] = field(default_factory=list)

    def add_record(self, unit: Unit, record: Record) -> None:
        position = len(self.records)
        self.records.append((unit, record))
        if record.fqdn is None:
            self._without_fqdn.append(position)
        else:
            self._by_fqdn.setdefault(record.fqdn, []).append(position)

    def records_for_name(self, record: Record) -> list[tuple[Unit, Record]]:
        """Records that may answer for the same name as `record` (any zone, any type), in
        index order: those with the same FQDN, and those whose FQDN is not known."""
        if record.fqdn is None:
            return [pair for pair in self.records if may_be_same_name(record, pair[1])]
        positions = sorted(self._by_fqdn.get(record.fqdn, []) + self._without_fqdn)
        return [self.records[p] for p in positions if may_be_same_name(record, self.records[p][1])]


def project_index(project: Project) -> DnsIndex:
    """The project-wide index, built once per project."""
    return project.derived("relations.dns.project", lambda p: _build_index(p.units))


def deployed_index(project: Project) -> DnsIndex:
    """The project index with the records each copy of a CloudFormation stack deployed to
    several regions makes (`Unit.copies`, each paired with its copy) in place of the template's,
    whose region, conditions on it and `${AWS::Region}` texts are not known. The zones and name
    servers are the project index's. For the rules that judge a stack's copies."""

    def build(p: Project) -> DnsIndex:
        base = project_index(p)
        if not any(unit.copies for unit in p.units):
            return base
        index = DnsIndex(base.zones_by_domain, base.zones_without_domain, base.name_servers_by_domain)
        for unit in p.units:
            for deployed in unit.copies or (unit,):
                for record in records(deployed):
                    index.add_record(deployed, record)
        return index

    return project.derived("relations.dns.deployed", build)


def _build_index(units: Iterable[Unit]) -> DnsIndex:
    index = DnsIndex()
    for unit in units:
        for zone in zones(unit):
            if zone.domain is None:
                index.zones_without_domain.append(zone)
            else:
                index.zones_by_domain.setdefault(zone.domain, []).append(zone)
        for name_servers in name_server_sets(unit):
            if name_servers.domain is not None:
                index.name_servers_by_domain.setdefault(name_servers.domain, []).append(name_servers)
        for record in records(unit):
            index.add_record(unit, record)
    return index
