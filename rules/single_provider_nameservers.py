"""RES204 single-provider-nameservers."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.dns import DOMAIN_REGISTRATIONS
from resilint.model import Project, Unit
from resilint.relations.dns import NameServerSet, name_server_sets
from resilint.relations.dns_providers import display, is_reserved, name_servers_of
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES204",
    name="single-provider-nameservers",
    severity=Severity.WARNING,
    summary="A registered domain delegates to the name servers of one DNS provider only",
    fix="Add the name servers of a second DNS provider that serves the same zone to the delegation",
    tags=("dns",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a registrar resource whose name servers all belong to one DNS provider:
    `aws_route53domains_registered_domain` and `aws_route53domains_domain` (`name_server`
    blocks), `dnsimple_domain_delegation` (`name_servers`) and
    `google_clouddomains_registration` (`dns_settings.custom_dns.name_servers`). Name servers
    are classified by reference first (`aws_route53_zone.main.name_servers` is Route 53,
    `cloudflare_zone.x.name_servers` is Cloudflare, `ns1_zone.x.dns_servers` is NS1) and by host
    name otherwise (`*.awsdns-NN.com|net|org|co.uk`, `*.azure-dns.*`, `ns-cloud-*.googledomains.com`,
    `*.ns.cloudflare.com`, `*.nsone.net`...; other host names are grouped by their domain).

    An `aws_route53domains_domain` without `name_server` blocks is delegated to the Route 53
    hosted zone that the registration creates (in a plan, where computed values are left out,
    this is not assumed). An `aws_route53domains_registered_domain` without
    them does not manage the delegation and is not checked; neither is a list with an entry that
    cannot be resolved (a variable without a value, a module output), nor a reserved name such
    as `example.com` or `.test`.

    A list built from a zone's name servers and other host names
    (`concat(aws_route53_zone.x.name_servers, ["dns1.p01.nsone.net"])`) counts every provider
    it names; when part of it is unknown (`var.more` without a value), the rule stays silent.

    ## Why is this bad?
    The registrar's name server list is what the parent zone (`.com`, `.io`...) publishes.
    When it names one provider only, resolvers never ask anyone else: a second provider
    serving a copy of the zone does not help until the delegation lists it, and a change made
    during an outage reaches resolvers only after the parent zone's NS TTL (two days for
    `.com`). Multi-provider DNS must be delegated before the incident.

    ## Example
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "example-shop.com"

      dynamic "name_server" {
        for_each = aws_route53_zone.shop.name_servers
        content {
          name = name_server.value
        }
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "example-shop.com"

      name_server {
        name = aws_route53_zone.shop.name_servers[0]
      }
      name_server {
        name = aws_route53_zone.shop.name_servers[1]
      }
      name_server {
        name = "dns1.p01.nsone.net" # the same zone served by NS1
      }
      name_server {
        name = "dns2.p01.nsone.net"
      }
    }
    ```

    ## References
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53domains_registered_domain
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/domain-name-servers-glue-records.html
    - https://www.ibm.com/docs/en/ns1-connect?topic=zones-faqs-secondary
    """
    for name_servers in name_server_sets(unit):
        if name_servers.kind != "registrar" or name_servers.resource.count_unknown:
            continue
        if not name_servers.complete or len(name_servers.families) != 1:
            continue
        if name_servers.domain is not None and is_reserved(name_servers.domain):
            continue
        yield _violation(name_servers)


def _violation(name_servers: NameServerSet) -> Violation:
    resource = name_servers.resource
    (family,) = name_servers.families
    provider = display(family)
    domain = name_servers.domain or "its domain"
    evidence = ", ".join(name_servers.evidence)
    registration = DOMAIN_REGISTRATIONS.member(resource)
    how = registration.word("add_name_servers") if registration is not None else "Add"
    return Violation(
        f"{resource.address} delegates {domain} to {name_servers_of(family)} only ({evidence}): "
        f"if {provider} fails, {domain} stops resolving, and a delegation change made during the "
        "outage takes up to the parent zone's NS TTL to reach resolvers",
        at=resource,
        fix=(
            f"{how} the name servers of a DNS provider other than {provider} that serves the same "
            f"records for {domain}, so that resolvers can reach either"
        ),
    )
