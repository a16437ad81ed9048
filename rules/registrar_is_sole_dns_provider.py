"""RES208 registrar-is-sole-dns-provider."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.dns import DOMAIN_REGISTRATIONS
from resilint.model import Project, Unit
from resilint.relations.dns_domains import domain_view
from resilint.relations.dns_providers import display, is_reserved, normalize_domain
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES208",
    name="registrar-is-sole-dns-provider",
    severity=Severity.NOTE,
    summary="A domain's registrar is also its only DNS provider",
    fix="Keep the registrar, but serve the domain from a second DNS provider too and list it in the delegation",
    tags=("dns",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes a domain registration (`aws_route53domains_registered_domain`,
    `aws_route53domains_domain`, `google_clouddomains_registration`,
    `dnsimple_domain_delegation`) whose domain is served by one DNS provider only, the
    registrar's own: Route 53 for a Route 53 Domains registration, Google Cloud DNS for Cloud
    Domains, DNSimple for DNSimple. The providers serving the domain are those its delegation
    names (the registration's name servers, classified by reference and by host name), else
    those that host a public zone of the domain in the scanned code, plus those resilint's
    configuration declares for it. Nothing is noted when any of these is unknown.

    ## Why is this bad?
    The domain's registration, its delegation and every answer for it then depend on one
    vendor: an incident or an account problem at that vendor (a suspended account, a lost
    payment method, a control plane outage) can take the domain and the means to move it away
    at the same time. Changing registrars takes days; adding a second DNS provider and listing
    it in the delegation can be done ahead of time.

    ## Example
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "orders-shop.io"

      name_server {
        name = aws_route53_zone.shop.name_servers[0]
      }
      name_server {
        name = aws_route53_zone.shop.name_servers[1]
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53domains_registered_domain" "shop" {
      domain_name = "orders-shop.io"

      name_server {
        name = aws_route53_zone.shop.name_servers[0]
      }
      name_server {
        name = aws_route53_zone.shop.name_servers[1]
      }
      name_server {
        name = ns1_zone.shop.dns_servers[0]
      }
      name_server {
        name = ns1_zone.shop.dns_servers[1]
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/domain-name-servers-glue-records.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/domain-lock.html
    - https://www.ibm.com/docs/en/ns1-connect?topic=zones-faqs-secondary
    """
    for registration in DOMAIN_REGISTRATIONS.members(unit, "registration"):
        if registration.resource.count_unknown:
            continue
        domain = normalize_domain(registration.value("domain"))
        if domain is None or is_reserved(domain):
            continue
        registrar = registration.service
        serving = domain_view(project, domain).serving
        if serving is None or serving != {registrar}:
            continue
        vendor = display(registrar)
        yield Violation(
            f"{registration.address} registers {domain} with {registration.word('registrar')}, and {vendor} is also "
            f"the only DNS provider serving it: one vendor's incident or account problem can take both the domain's "
            f"answers and the means to move them",
            at=registration.resource,
        )
