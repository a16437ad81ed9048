"""RES205 secondary-dns-not-effective."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.relations.dns import Record, Zone, zones
from resilint.relations.dns_domains import DomainView, ProviderRecords, domain_view, records_by_provider
from resilint.relations.dns_providers import display, is_reserved
from resilint.relations.network import shorten
from resilint.rule import Severity, Violation, rule

# Record types that answer a name with an address, whatever the provider calls them: a Route 53
# alias A record and a Cloudflare CNAME at the same name answer the same question.
_ANSWER_TYPES = frozenset({"A", "AAAA", "CNAME", "ALIAS", "ANAME"})
# Records each provider writes for itself at the apex.
_APEX_OWN_TYPES = frozenset({"NS", "SOA"})
# Values and names of records that prove control of the domain to one provider or vendor.
_VERIFICATION = ("verification", "verify", "challenge", "_domainkey")


@rule(
    id="RES205",
    name="secondary-dns-not-effective",
    severity=Severity.WARNING,
    summary="A second DNS provider is configured but not delegated to, or not kept in sync",
    fix="List the second provider's name servers in the delegation and serve the same records from both providers",
    tags=("dns",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a public zone at a second DNS provider that cannot take over when the first fails:

    - a *shadow zone*: the domain's delegation is in the code (a registrar resource's name
      servers, or a parent zone's NS record) and names other providers only, so resolvers never
      ask this zone (name servers under a domain of their own, such as Route 53 white-label or
      Cloudflare custom name servers, may be any provider's: then nothing is said);
    - a zone *out of sync*: the domain is hosted at two providers (and delegated to both, when
      the code holds the delegation), and names the other provider's zones answer for are
      missing from this one, so those names do not exist while the other provider is down.

    Records are compared by name and, for A, AAAA and CNAME records, by name only (a Route 53
    alias A record and a CNAME at another provider answer the same question); NS and SOA
    records at the apex and records that prove domain ownership to a vendor (verification,
    ACME challenge and DKIM records) are not compared. A zone that transfers its records
    (an NS1 zone with `primary` or `secondaries`, a Cloudflare or Akamai `secondary` zone) is in
    sync by construction, and nothing is compared when any record of the domain has a zone, name,
    type or count that is not known, or when one provider's zones hold no records in the code
    (they are managed elsewhere, by external-dns or by hand).

    ## Why is this bad?
    A second DNS provider is there to answer when the first is down (the attack on Dyn in 2016,
    the Azure DNS outage of April 2021). A zone that no delegation points to is never asked,
    and changing the delegation at the registrar during the outage takes up to the parent
    zone's NS TTL (two days for `.com`). A zone that lacks records answers "no such name" for
    them while it is the only one answering: the outage is still an outage.

    ## Example
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "orders-shop.io"

      dynamic "name_server" {
        for_each = aws_route53_zone.shop.name_servers
        content {
          name = name_server.value
        }
      }
    }

    resource "ns1_zone" "shop" { # never delegated to
      zone = "orders-shop.io"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "orders-shop.io"

      dynamic "name_server" {
        for_each = concat(slice(aws_route53_zone.shop.name_servers, 0, 2), slice(ns1_zone.shop.dns_servers, 0, 2))
        content {
          name = name_server.value
        }
      }
    }
    ```

    ## References
    - https://www.ibm.com/docs/en/ns1-connect?topic=zones-faqs-secondary
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/domain-name-servers-glue-records.html
    - https://www.rfc-editor.org/rfc/rfc1034#section-4.2.2
    """
    for zone in zones(unit):
        if zone.public is not True or zone.authoritative is not True or zone.domain is None:
            continue
        if zone.resource.count_unknown or is_reserved(zone.domain):
            continue
        view = domain_view(project, zone.domain)
        if view.unknown_zone:
            continue
        violation = _shadow(zone, view) or _out_of_sync(zone, view, project)
        if violation is not None:
            yield violation


def _shadow(zone: Zone, view: DomainView) -> Violation | None:
    """The zone's provider is not among the providers the delegation names."""
    if view.delegated is None or not view.delegated or zone.family in view.delegated:
        return None
    if any(family.startswith("other:") for family in view.delegated):
        return None  # white-label name servers (ns1.example.com) may be this provider's
    provider = display(zone.family)
    named = ", ".join(sorted(display(f) for f in view.delegated))
    where = ", ".join(s.resource.address for s in view.delegations)
    return Violation(
        f"{zone.resource.address} hosts {view.domain} at {provider}, but the delegation ({where}) lists only "
        f"{named} name servers: resolvers never ask {provider}, so this zone cannot answer when {named} is down",
        at=zone.resource,
        fix=(
            f"Add {provider}'s name servers for {view.domain} to the delegation ({where}) beside the others, "
            "or remove the zone if it is not meant to serve"
        ),
    )


def _out_of_sync(zone: Zone, view: DomainView, project: Project) -> Violation | None:
    """Names the domain's other providers answer for that this zone's provider lacks."""
    if view.transfers or len(view.hosted) < 2:
        return None
    if view.delegated is not None and not view.hosted <= view.delegated:
        return None  # a provider that is not delegated to: a shadow zone, judged as such
    by_provider = records_by_provider(project, view)
    if any(found is None for found in by_provider.values()):
        return None
    mine = by_provider[zone.family]
    assert mine is not None
    others = [found for family, found in by_provider.items() if family != zone.family and found is not None]
    if not mine.records or any(not found.records for found in others):
        return None  # a provider whose records the code does not hold
    if len([z for z in view.zones if z.family == zone.family]) > 1:
        return None  # two zones of the domain at one provider: which one serves is not known
    have = _names(mine)
    missing: dict[tuple[str, str], str] = {}
    for found in others:
        for key in _names(found) - have:
            missing.setdefault(key, display(found.family))
    if not missing:
        return None
    shown = shorten([f"{name} ({kind})" for name, kind in sorted(missing)])
    providers = " and ".join(sorted(set(missing.values())))
    provider = display(zone.family)
    return Violation(
        f"{zone.resource.address} hosts {view.domain} at {provider} without {len(missing)} of the record sets "
        f"{providers} serves: {shown}: while {providers} is down, {provider} answers alone, without them",
        at=zone.resource,
        fix=(
            f"Generate the records of {view.domain} for every provider from one list (a map iterated into each "
            "provider's record resource), or let one provider transfer the zone to the other"
        ),
    )


def _names(found: ProviderRecords) -> set[tuple[str, str]]:
    """The (name, type) pairs a provider answers, with address types merged."""
    names: set[tuple[str, str]] = set()
    for _, record in found.records:
        if _not_compared(record):
            continue
        assert record.fqdn is not None and record.rtype is not None
        kind = "A/AAAA/CNAME" if record.rtype in _ANSWER_TYPES else record.rtype
        names.add((record.fqdn, kind))
    return names


def _not_compared(record: Record) -> bool:
    if record.rtype in _APEX_OWN_TYPES and record.fqdn == record.zone.domain:
        return True
    name = record.fqdn or ""
    if any(word in name for word in _VERIFICATION):
        return True
    if record.rtype == "TXT" and isinstance(record.answers, list):
        return any(isinstance(a, str) and any(w in a.lower() for w in _VERIFICATION) for a in record.answers)
    return False
