"""Public DNS names that answer through an edge network (a CDN or front door), and whether any
path reaches the origin without it: the input of RES401.

A record goes through an edge vendor when:

- it is a Route 53 alias to a CloudFront distribution (by reference, CloudFront's hosted zone
  id, or a `cloudfront.net` name);
- its answer is a resource of the code that belongs to an edge network (a CloudFront
  distribution's domain name, an Azure Front Door endpoint or custom domain, an Azure CDN
  endpoint), or a host name of one (`*.cloudfront.net`, `*.azurefd.net`, `*.azureedge.net`,
  `*.fastly.net`, Akamai's `edgekey.net` / `edgesuite.net` / `akamaiedge.net`);
- it is a Cloudflare record with `proxied = true`;
- its answer is a Google Cloud global address or forwarding rule whose target proxy's URL map
  sends by default to a backend service or bucket with Cloud CDN on (`enable_cdn = true`).

A record whose answer is something else known (a load balancer, an address, a Traffic Manager
profile) is a path around the edge; one whose answer is not known may be one. Names are grouped
by fully qualified name and type across the units of a system, so a failover SECONDARY in the
DR root counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.arguments import DEFAULT, first_block
from resilint.families.base import Member
from resilint.families.edge import CDN_DISTRIBUTIONS, EDGE_ENDPOINTS, FRONT_DOOR_ORIGINS, GOOGLE_EDGE
from resilint.model import Resource, Unit, Unknown
from resilint.relations import dns
from resilint.relations.dns_providers import normalize_domain
from resilint.relations.footprint import role
from resilint.relations.protection import users
from resilint.values import as_bool

CLOUDFRONT = "CloudFront"
CLOUDFLARE = "Cloudflare"
CLOUD_CDN = "Google Cloud CDN"
_BACKENDS = ("backend_service", "backend_bucket")

# Host name suffixes of edge networks, by vendor.
_SUFFIXES = (
    (".cloudfront.net", CLOUDFRONT),
    (".azurefd.net", "Azure Front Door"),
    (".azureedge.net", "Azure Front Door"),
    (".fastly.net", "Fastly"),
    (".fastlylb.net", "Fastly"),
    (".edgekey.net", "Akamai"),
    (".edgesuite.net", "Akamai"),
    (".akamaiedge.net", "Akamai"),
)
_ADDRESS_TYPES = frozenset({"A", "AAAA", "CNAME"})


@dataclass(frozen=True)
class Path:
    """How one record answers: through `vendor` (None: around any edge, or `known` False: not
    known), and the edge resources it leads to."""

    record: dns.Record
    vendor: str | None
    known: bool = True
    edges: tuple[Resource, ...] = ()
    target: str = ""  # the edge as a message shows it: a resource address or a host name


def record_paths(unit: Unit) -> tuple[Path, ...]:
    """Every public address record of the unit (A, AAAA, CNAME), with its path."""
    return unit.derived("relations.edge.record_paths", _build)


def _build(unit: Unit) -> tuple[Path, ...]:
    found: list[Path] = []
    for record in dns.records(unit):
        if record.zone.public is False or (record.zone.zone is not None and record.zone.zone.public is False):
            continue
        if record.rtype is not None and record.rtype not in _ADDRESS_TYPES:
            continue
        found.append(_path(unit, record))
    return tuple(found)


def _path(unit: Unit, record: dns.Record) -> Path:
    if record.family == "cloudflare":
        proxied = record.resource.attributes.get("proxied")
        if isinstance(proxied, Unknown):
            return Path(record, None, known=False)
        if proxied is True or (isinstance(proxied, str) and proxied.lower() == "true"):
            return Path(record, CLOUDFLARE, target="the Cloudflare proxy")
    alias = record.alias
    if isinstance(alias, Unknown):
        return Path(record, None, known=False)
    if isinstance(alias, dns.Alias):
        if alias.is_cloudfront:
            edges = tuple(t for t in alias.targets if t in CDN_DISTRIBUTIONS)
            shown = edges[0].address if edges else str(normalize_domain(alias.name) or "a CloudFront distribution")
            return Path(record, CLOUDFRONT, edges=edges, target=shown)
        if alias.targets:
            return Path(record, None)
        name = normalize_domain(alias.name)
        return Path(record, None, known=name is not None)
    targets = dns.answer_targets(unit, record)
    if targets is not None:
        google = [t for t in targets if t in GOOGLE_EDGE]
        if google:
            return _google_path(unit, record, targets, google)
        owners = {_vendor_of(t) for t in targets}
        if len(owners) == 1:
            (vendor,) = owners
            edges = tuple(t for t in targets if vendor is not None)
            return Path(record, vendor, edges=edges, target=edges[0].address if edges else "")
        return Path(record, None, known=False)
    answers = record.answers
    if not isinstance(answers, list) or not answers:
        return Path(record, None, known=False)
    vendors: set[str | None] = set()
    shown = ""
    for value in answers:
        if not isinstance(value, str):
            return Path(record, None, known=False)
        host = normalize_domain(value) or ""
        vendor = next((v for suffix, v in _SUFFIXES if host.endswith(suffix)), None)
        vendors.add(vendor)
        shown = shown or host
    if len(vendors) == 1:
        (vendor,) = vendors
        return Path(record, vendor, target=shown if vendor is not None else "")
    return Path(record, None, known=False)


def _google_path(unit: Unit, record: dns.Record, targets: tuple[Resource, ...], google: list[Resource]) -> Path:
    """A record answering with Google Cloud global addresses or forwarding rules: through Cloud
    CDN when every one leads to a default backend with `enable_cdn = true`, around it when none
    does; not known when the chain leaves the code or a setting is unknown."""
    if len(google) != len(targets):
        return Path(record, None, known=False)
    backends: list[Resource] = []
    for target in google:
        found = _default_backends(unit, target)
        if found is None:
            return Path(record, None, known=False)
        backends.extend(b for b in found if b not in backends)
    cdn = {_cdn_enabled(b) for b in backends}
    if cdn == {True}:
        return Path(record, CLOUD_CDN, edges=tuple(backends), target=backends[0].address)
    if cdn == {False}:
        return Path(record, None)
    return Path(record, None, known=False)


def _default_backends(unit: Unit, start: Resource) -> list[Resource] | None:
    """The backend services and buckets a global address or forwarding rule serves by default
    (forwarding rule -> target proxy -> URL map -> default service); None when a link is not a
    resource of the code."""
    member = GOOGLE_EDGE.member(start)
    assert member is not None
    if member.kind == "global_address":
        rules = [
            r for r in users(unit, start.address) if (m := GOOGLE_EDGE.member(r)) is not None and m.kind == "forwarding_rule"
        ]
    elif member.kind == "forwarding_rule":
        rules = [start]
    else:
        return None
    if not rules:
        return None
    found: list[Resource] = []
    for rule in rules:
        backends = _follow(unit, rule, (("forwarding_rule", "target"), ("target_proxy", "url_map"), ("url_map", "default")))
        if backends is None:
            return None
        found.extend(b for b in backends if b not in found)
    return found or None


def _follow(unit: Unit, start: Resource, steps: tuple[tuple[str, str], ...]) -> list[Resource] | None:
    """Resources reached from `start` through each step's argument, ending at backends."""
    current = [start]
    for kind, argument in steps:
        reached: list[Resource] = []
        for resource in current:
            member = GOOGLE_EDGE.member(resource)
            if member is None or member.kind != kind:
                return None
            name = member.argument(argument)
            targets = [t for ref in resource.references if ref.path.startswith(name) for t in unit.resolve(ref.target)]
            if not targets and member.kind == "url_map" and _redirects_only(member):
                continue  # an HTTP-to-HTTPS redirect beside the real rule: it serves no backend
            if not targets:
                return None
            reached.extend(t for t in targets if t not in reached)
        current = reached
    backends = [r for r in current if (m := GOOGLE_EDGE.member(r)) is not None and m.kind in _BACKENDS]
    return backends if len(backends) == len(current) else None


def _redirects_only(url_map: Member) -> bool:
    """A URL map with no default service that redirects every request (`default_url_redirect`)."""
    return url_map.value("default") is None and first_block(url_map.value("redirect")) is not None


def _cdn_enabled(backend: Resource) -> bool | None:
    member = GOOGLE_EDGE.member(backend)
    assert member is not None
    _, value = member.setting("cdn")
    if value is DEFAULT:
        return False
    return as_bool(value)


def _vendor_of(resource: Resource) -> str | None:
    member = CDN_DISTRIBUTIONS.member(resource)
    if member is not None and member.kind == "cloudfront":
        return CLOUDFRONT
    endpoint = EDGE_ENDPOINTS.member(resource)
    if endpoint is not None:
        return endpoint.word("vendor")
    if member is not None and member.kind == "classic_front_door":
        return "Azure Front Door"
    return None


def serves_application(unit: Unit, edges: tuple[Resource, ...]) -> bool:
    """Whether an edge resource fronts an application (a load balancer, API, function or server
    of the code), not only static content: a CloudFront origin, or an Azure Front Door origin's
    host, that is a serving resource, or a Google backend service behind Cloud CDN. False when no
    such origin is seen (buckets, host names written out, origins that are not resources of the
    code)."""
    for edge in edges:
        member = CDN_DISTRIBUTIONS.member(edge)
        if member is not None and member.kind == "cloudfront":
            origins = member.argument("origins")
            for ref in edge.references:
                if origins in ref.path and any(role(r) == "serving" for r in unit.resolve(ref.target)):
                    return True
        elif (google := GOOGLE_EDGE.member(edge)) is not None:
            if google.kind == "backend_service":
                return True  # it spreads traffic over instance groups or endpoint groups: compute
        elif edge in EDGE_ENDPOINTS:
            for origin in FRONT_DOOR_ORIGINS.members(unit):
                host = origin.argument("host")
                for ref in origin.resource.references:
                    if ref.path.startswith(host) and any(role(r) == "serving" for r in unit.resolve(ref.target)):
                        return True
    return False
