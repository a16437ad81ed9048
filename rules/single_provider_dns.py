"""RES201 single-provider-dns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from resilint.families.dns import DNS_ZONES
from resilint.model import Project, Unit
from resilint.relations.dns import DnsIndex, NameServerSet, Zone, project_index, zones
from resilint.relations.dns_providers import (
    display,
    family_of_configured,
    is_reserved,
    name_servers_of,
    normalize_domain,
)
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES201",
    name="single-provider-dns",
    severity=Severity.WARNING,
    summary="A public DNS zone is served by a single DNS provider",
    fix="Serve the domain from a second DNS provider too and list both providers' name servers at the registrar",
    tags=("dns",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a public hosted zone (`aws_route53_zone`, `AWS::Route53::HostedZone`,
    `azurerm_dns_zone`, `google_dns_managed_zone`, `cloudflare_zone`, `ns1_zone`,
    `dnsimple_zone`, `akamai_dns_zone`, `digitalocean_domain`) whose domain is served by one DNS
    provider only, looking across every file of the scan. Domain names are compared in lower
    case, without the trailing dot.

    The domain counts as served by two providers when another provider hosts a zone of the same
    name anywhere in the scanned code, when a zone wires in another provider (an NS1 zone with
    `primary` or `secondaries`, a Cloudflare or Akamai `secondary` zone, Akamai outbound zone
    transfers), or when resilint's configuration declares a provider that serves the domain from
    outside the code. When the code holds the delegation itself (a registrar resource's
    `name_server` blocks, or a parent zone's NS record for a sub-domain), the providers named
    there decide, classified by reference first (`aws_route53_zone.x.name_servers` is Route 53)
    and by host name otherwise (`*.awsdns-NN.com`, `*.ns.cloudflare.com`, `*.nsone.net`...).

    Not checked: private zones (a `vpc` block, `VPCs`, `visibility = "private"`, Cloudflare
    `internal` zones), Cloudflare `partial` zones (their DNS is hosted elsewhere), zones known
    only through a data source, zones whose name or visibility is unknown, and names that can
    never be public production zones: `.test`, `.example`, `.invalid`, `.localhost`, `.local`,
    `.internal`, `.alt`, `home.arpa` and the documentation domains `example.com`, `example.net`
    and `example.org` (RFC 2606, RFC 6761). A zone at another provider whose name is unknown
    may host the same domain, so it silences the rule.

    A list built from a zone's name servers and other host names
    (`concat(aws_route53_zone.x.name_servers, ["dns1.p01.nsone.net"])`) counts every provider
    it names; when part of it is unknown (`var.more` without a value), the rule stays silent.

    ## Why is this bad?
    Every name under the domain resolves only while that one provider answers. A provider-wide
    DNS outage (the attack on Dyn in October 2016, the Azure DNS outage of April 2021) takes the
    domain off the internet even when every server behind it is healthy in several regions, and
    the fix, changing the delegation at the registrar, takes up to the parent zone's NS TTL (two
    days for `.com`) to reach resolvers.

    ## Example
    ```hcl
    resource "aws_route53_zone" "shop" {
      name = "example-shop.com"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_zone" "shop" {
      name = "example-shop.com"
    }

    # Same records at a second provider, kept in sync from one source of truth.
    resource "ns1_zone" "shop" {
      zone = "example-shop.com"
    }
    ```

    ## References
    - https://www.ibm.com/docs/en/ns1-connect?topic=zones-faqs-secondary
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/disaster-recovery-resiliency.html
    - https://www.rfc-editor.org/rfc/rfc2606
    """
    index = project_index(project)
    configured = _configured(project)
    for zone in zones(unit):
        if zone.public is not True or zone.authoritative is not True or zone.domain is None:
            continue
        if zone.resource.count_unknown or is_reserved(zone.domain):
            continue
        verdict = _judge(zone, index, configured.get(zone.domain, frozenset()))
        if verdict is None:
            continue
        yield Violation(verdict.message, at=zone.resource, fix=_fix(zone))


@dataclass(frozen=True)
class _Verdict:
    message: str


def _configured(project: Project) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for domain, providers in project.external_dns.items():
        key = normalize_domain(domain)
        names = (providers,) if isinstance(providers, str) else tuple(providers)
        if key is not None:
            out[key] = out.get(key, frozenset()) | {family_of_configured(str(p)) for p in names}
    return out


def _judge(zone: Zone, index: DnsIndex, configured: frozenset[str]) -> _Verdict | None:
    """A verdict when the domain is known to be served by one provider; None when it is served
    by two or more, or when something that decides it is unknown."""
    domain = zone.domain
    assert domain is not None
    for other in index.zones_without_domain:
        if other.family != zone.family and other.public is not False:
            return None  # it may host this very domain
    hosted: set[str] = set()
    for peer in index.zones_by_domain.get(domain, []):
        if peer.public is False:
            continue
        if peer.authoritative is None or peer.external_partner is None:
            return None
        if peer.authoritative:
            hosted.add(peer.family)
        if peer.external_partner:
            hosted.add("partner:" + peer.resource.address)
    sets = index.name_servers_by_domain.get(domain, [])
    delegations = [s for s in sets if s.kind in ("registrar", "delegation")]
    apex_sets = [s for s in sets if s.kind == "apex"]
    if delegations:
        families = set(configured).union(*(s.families for s in delegations))
    else:
        families = hosted | configured
    families.update(*(s.families for s in apex_sets))
    if len(families) >= 2:
        return None
    if any(not s.complete for s in delegations + apex_sets):
        return None  # an entry that could not be classified may name another provider
    if not families:
        return None
    (family,) = families
    provider = display(family)
    if delegations:
        named = ", ".join(_describe(s) for s in delegations)
        where = "" if family == zone.family else f"; this {display(zone.family)} zone is not in the delegation"
        return _Verdict(
            f"{domain} is delegated to {name_servers_of(family)} only ({named}){where}: an outage of "
            f"{provider} makes every name under {domain} unresolvable"
        )
    return _Verdict(
        f"{domain} is hosted only at {provider} ({zone.resource.address}); no zone for it at another "
        f"DNS provider is in the scanned code or in configuration: an outage of {provider} makes every "
        f"name under {domain} unresolvable"
    )


def _describe(name_servers: NameServerSet) -> str:
    if name_servers.kind == "registrar":
        return f"registrar {name_servers.resource.address}"
    return f"NS record {name_servers.resource.address} in the parent zone"


def _fix(zone: Zone) -> str:
    domain = zone.domain
    member = DNS_ZONES.member(zone.resource)
    only_one_provider = member.says("second_provider") if member is not None else None
    if only_one_provider is not None:
        return only_one_provider.format(domain=domain)
    examples = " or ".join(s.type for s in DNS_ZONES.spellings if s.service in ("ns1", "cloudflare"))
    return (
        f"Add a zone for {domain} at a second DNS provider (for example a {examples} "
        "kept in sync with the same records) and list both providers' name servers at the registrar; "
        "if the second provider is managed outside this code, declare it in resilint's configuration"
    )
