"""Which DNS providers serve a domain, as far as the whole scan says (RES205, RES206, RES208).

`domain_view(project, domain)` gathers, for one public domain: the zones that host it at each
provider, the delegation evidence (a registrar's name servers, a parent zone's NS record) and the
providers configuration declares outside the code. `records_by_provider(project, view)` gives the
records each provider's zone holds, or None for a provider whose records the code does not fix
(a record whose zone, name or type is unknown, a count that is not known).

Everything unknown makes the answer None, never a smaller set: a zone whose domain is unknown
may host this one, an entry of a delegation that cannot be classified may name another provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resilint.model import Project, Unit
from resilint.relations.dns import NameServerSet, Record, Zone, project_index
from resilint.relations.dns_providers import family_of_configured, normalize_domain


@dataclass(frozen=True)
class DomainView:
    domain: str
    zones: tuple[Zone, ...]  # public, authoritative zones of the domain, every provider
    hosted: frozenset[str]  # the providers of those zones
    # Providers the delegation names (registrar, parent zone NS record); None when the code
    # holds no delegation for the domain or an entry cannot be classified.
    delegated: frozenset[str] | None
    delegations: tuple[NameServerSet, ...]
    configured: frozenset[str]  # providers configuration declares for the domain
    # A zone transfers its records to or from another server (NS1 primary/secondaries,
    # Cloudflare or Akamai secondary zones): the providers stay in sync by themselves.
    transfers: bool
    unknown_zone: bool  # a zone of unknown domain or visibility may host this domain too

    @property
    def serving(self) -> frozenset[str] | None:
        """The providers that answer for the domain: the delegated ones where the code holds the
        delegation, else the hosted and configured ones; None when not known."""
        if self.unknown_zone:
            return None
        if self.delegations:
            if self.delegated is None:
                return None
            return self.delegated | self.configured
        return self.hosted | self.configured


def domain_view(project: Project, domain: str) -> DomainView:
    """Everything the scan says about who serves `domain`, built once per project and domain."""
    views: dict[str, DomainView] = project.derived("relations.dns_domains.views", lambda p: {})
    if domain not in views:
        views[domain] = _build(project, domain)
    return views[domain]


def _build(project: Project, domain: str) -> DomainView:
    index = project_index(project)
    zones: list[Zone] = []
    transfers = False
    unknown_zone = any(z.public is not False for z in index.zones_without_domain)
    for zone in index.zones_by_domain.get(domain, []):
        if zone.public is None or zone.authoritative is None or zone.external_partner is None:
            unknown_zone = True
            continue
        if zone.public is False or zone.authoritative is False:
            continue
        if zone.resource.count_unknown:
            unknown_zone = True
        zones.append(zone)
        transfers = transfers or zone.external_partner
    sets = index.name_servers_by_domain.get(domain, [])
    delegations = tuple(s for s in sets if s.kind in ("registrar", "delegation"))
    delegated: frozenset[str] | None = None
    if delegations and all(s.complete for s in delegations):
        delegated = frozenset().union(*(s.families for s in delegations))
    return DomainView(
        domain=domain,
        zones=tuple(zones),
        hosted=frozenset(z.family for z in zones),
        delegated=delegated,
        delegations=delegations,
        configured=_configured(project).get(domain, frozenset()),
        transfers=transfers,
        unknown_zone=unknown_zone,
    )


def _configured(project: Project) -> dict[str, frozenset[str]]:
    def build(p: Project) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for name, providers in p.external_dns.items():
            key = normalize_domain(name)
            names = (providers,) if isinstance(providers, str) else tuple(providers)
            if key is not None:
                out[key] = out.get(key, frozenset()) | {family_of_configured(str(n)) for n in names}
        return out

    return project.derived("relations.dns_domains.configured", build)


# Records of a domain at each provider -----------------------------------------------------


@dataclass
class ProviderRecords:
    """The records one provider's zones hold for a domain."""

    family: str
    records: list[tuple[Unit, Record]] = field(default_factory=list)


def records_by_provider(project: Project, view: DomainView) -> dict[str, ProviderRecords | None]:
    """Each hosting provider's records of the domain; None for a provider some of whose records
    may belong to the domain without the code saying so."""
    index = project_index(project)
    out: dict[str, ProviderRecords | None] = {family: ProviderRecords(family) for family in view.hosted}
    own = {id(z) for z in view.zones}
    for unit, record in index.records:
        if record.family not in out:
            continue
        zone = record.zone
        if zone.zone is not None:
            if id(zone.zone) not in own:
                continue  # another zone (another domain, a private zone)
        elif zone.domain is not None:
            if zone.domain != view.domain:
                continue
        elif record.fqdn is None or record.fqdn == view.domain or record.fqdn.endswith("." + view.domain):
            out[record.family] = None  # a record whose zone is not known may be in this one
            continue
        else:
            continue
        if record.fqdn is None or record.rtype is None or record.resource.count_unknown:
            out[record.family] = None
            continue
        found = out[record.family]
        if found is not None:
            found.records.append((unit, record))
    return out
