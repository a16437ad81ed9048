"""RES206 health-checked-routing-at-one-provider."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.dns import DNS_STEERING
from resilint.model import Project, Unit
from resilint.relations.dns import Record, records
from resilint.relations.dns_domains import ProviderRecords, domain_view, records_by_provider
from resilint.relations.dns_providers import display, is_reserved
from resilint.relations.record_targets import GLOBAL, record_region
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES206",
    name="health-checked-routing-at-one-provider",
    severity=Severity.NOTE,
    summary="Health-checked routing exists at only one of a domain's DNS providers",
    fix="Give the second provider its own health-checked steering for the name, or answer with a multi-region entry point",
    tags=("dns", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes a static record at one DNS provider for a name that another provider of the same
    domain answers with health-checked or steered records (failover, latency, weighted,
    geolocation or other routing policies, a health check; Google Cloud DNS `routing_policy`,
    NS1 `filters`). The domain must be served by both providers: hosted at both and, when the
    code holds the delegation, delegated to both.

    Not noted: names whose static answer is itself a multi-region entry point (CloudFront,
    Global Accelerator), names a Cloudflare load balancer (`cloudflare_load_balancer`) steers,
    domains whose zones transfer their records from one provider to the other (the steering does
    not transfer, but the second provider then is a plain secondary by design), and anything
    whose zone, name, type or routing is not known.

    ## Why is this bad?
    While the first provider is up, resolvers ask both providers and get health-checked answers
    from one and fixed answers from the other, so about half of them keep reaching a failed
    endpoint. While the first provider is down, the fixed answers are all there is: the
    failover the records describe does not happen exactly when the design counts on it. Zone
    transfers and record copies do not carry routing policies.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id         = aws_route53_zone.shop.zone_id
      name            = "api"
      type            = "A"
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.api.id
      records         = ["198.51.100.10"]
      ttl             = 60

      failover_routing_policy {
        type = "PRIMARY"
      }
    }

    resource "cloudflare_dns_record" "api" {
      zone_id = cloudflare_zone.shop.id
      name    = "api"
      type    = "A"
      content = "198.51.100.10" # always the primary
      ttl     = 60
    }
    ```

    Use instead: a `cloudflare_load_balancer` for `api` with pools in both regions and a
    monitor, or a static answer that is itself multi-region (the Global Accelerator's addresses).

    ## References
    - https://www.ibm.com/docs/en/ns1-connect?topic=zones-faqs-secondary
    - https://developers.cloudflare.com/load-balancing/
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover.html
    """
    for record in records(unit):
        if not _static(record) or record.fqdn is None or record.zone.domain is None:
            continue
        domain = record.zone.domain
        if is_reserved(domain):
            continue
        view = domain_view(project, domain)
        serving = view.serving
        if view.transfers or serving is None or len(view.hosted) < 2 or record.family not in serving:
            continue
        if view.delegated is not None and not view.hosted <= view.delegated:
            continue
        by_provider = records_by_provider(project, view)
        steered = _steered_elsewhere(record, by_provider)
        if steered is None or _steered_here(record, project):
            continue
        target = record_region(unit, record)
        if target is not None and target.region == GLOBAL:
            continue  # the fixed answer spans regions by itself
        family, how = steered
        yield Violation(
            f"{record.fqdn} ({record.rtype}) has {how} at {display(family)}, but {record.label} answers it at "
            f"{display(record.family)} with fixed records: resolvers that ask {display(record.family)} (all of them "
            f"while {display(family)} is down) keep getting the same answer when its endpoint fails",
            at=record.resource,
        )


def _static(record: Record) -> bool:
    return (
        record.routing == frozenset()
        and record.health_check is None
        and record.rtype in ("A", "AAAA", "CNAME")
        and not record.resource.count_unknown
    )


def _steered_elsewhere(record: Record, by_provider: dict[str, ProviderRecords | None]) -> tuple[str, str] | None:
    """The provider that steers the same name, and how; None when none is known to."""
    for family, found in sorted(by_provider.items()):
        if family == record.family or found is None:
            continue
        for _, other in found.records:
            if other.fqdn != record.fqdn or other.rtype not in ("A", "AAAA", "CNAME"):
                continue
            if other.routing is None:
                return None
            policies = sorted(other.routing)
            if policies:
                return family, " and ".join(policies) + " routing"
            if other.health_check is not None:
                return family, "health-checked records"
    return None


def _steered_here(record: Record, project: Project) -> bool:
    """Whether a load balancer of the record's own provider steers the name, or may."""
    names = project.derived("res206.steered_names", _steered_names)
    if names is None:
        return True  # a load balancer whose name is not known may be this one
    fqdn, domain = record.fqdn, record.zone.domain
    if fqdn in names:
        return True
    suffix = f".{domain}"
    return fqdn is not None and fqdn.endswith(suffix) and fqdn[: -len(suffix)] in names


def _steered_names(project: Project) -> frozenset[str] | None:
    """The names every DNS load balancer of the project steers, as written (relative or whole);
    None when one of them has a name that is not known. Once per project: every static record
    asks."""
    names = set()
    for unit in project.units:
        for steering in DNS_STEERING.members(unit):
            name = steering.value("name")
            if not isinstance(name, str):
                return None
            names.add(name.strip().rstrip(".").lower())
    return frozenset(names)
