"""RES401 single-edge-provider."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from resilint.model import Project, Unit
from resilint.relations.edge import CLOUD_CDN, CLOUDFLARE, CLOUDFRONT, Path, record_paths, serves_application
from resilint.rule import Severity, Violation, rule

# Host names that carry static assets, for which a CDN without a bypass is the design.
_STATIC_LABELS = frozenset({"static", "cdn", "assets", "media", "images", "img", "files", "downloads", "content"})

_FIXES = {
    CLOUDFRONT: (
        "Give the name a path around CloudFront: failover records with a health check, PRIMARY an alias to the "
        "distribution and SECONDARY a regional load balancer (or another CDN), and let the origin accept direct "
        "traffic (certificate, WAF rules, allow-lists)"
    ),
    "Azure Front Door": (
        "Put Azure Traffic Manager in front with priority routing (Front Door first, Application Gateway or "
        "another CDN second) and point the name at the Traffic Manager profile, as Microsoft advises since the "
        "29 October 2025 outage"
    ),
    CLOUD_CDN: (
        "Keep a second path to the backends that does not go through Cloud CDN (a regional external load balancer "
        "or another CDN) and a prepared switch to it in DNS (a Cloud DNS routing_policy with a health-checked "
        "backup, or records ready to change), and let the backends accept that traffic"
    ),
    CLOUDFLARE: (
        "Keep a path that does not need Cloudflare's proxy: an origin that accepts direct TLS traffic and a "
        "prepared switch to DNS-only records (or a second CDN behind health-checked DNS)"
    ),
}


@rule(
    id="RES401",
    name="single-edge-provider",
    severity=Severity.WARNING,
    summary="A public name answers only through one CDN or front door, with no bypass",
    fix="Keep a pre-provisioned path to the origin that does not go through the CDN, and a way to switch to it",
    tags=("edge", "dns"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a public DNS name (A, AAAA or CNAME) whose every record answers through the same
    edge network, so that no path reaches the origin without it:

    - AWS: Route 53 aliases to a CloudFront distribution (`alias` naming the distribution,
      CloudFront's hosted zone id `Z2FDTNDATAQYW2`, or a `cloudfront.net` name), CNAMEs to
      `*.cloudfront.net`;
    - Azure: records pointing at an Azure Front Door endpoint or custom domain, or an Azure CDN
      endpoint (same fabric), by reference (`target_resource_id`, the endpoint's `host_name`)
      or by host name (`*.azurefd.net`, `*.azureedge.net`);
    - Google Cloud: records answering with a global address or global forwarding rule whose
      target proxy's URL map sends by default to a backend service or backend bucket with
      Cloud CDN on (`google_compute_backend_service` / `google_compute_backend_bucket` with
      `enable_cdn = true`);
    - Cloudflare records with `proxied = true`; CNAMEs to Fastly or Akamai host names.

    A name is not flagged when another record for it (a failover SECONDARY, a weighted
    record, in this unit or another unit of the system) answers around the edge (a load
    balancer, an address, a Traffic Manager profile), when any of its records has an answer
    resilint cannot resolve, for private zones, and for static-asset names (`static.`, `cdn.`,
    `assets.`, `media.`, `images.`, `img.`, `files.`, `downloads.`, `content.`).

    Severity: a warning when the edge fronts an application of the code (a load balancer,
    API, function or server as a CloudFront origin or Front Door origin host, a Google backend
    service), a note otherwise (static content from a bucket, origins the code does not show).

    ## Why is this bad?
    On 29 October 2025 an inadvertent configuration change to Azure Front Door made its edge
    nodes fail worldwide for about eight hours; sites that answered only through Front Door
    were unreachable even though their origins were healthy. Microsoft's guidance since is a
    second path: Traffic Manager in front, failing over to Application Gateway or another
    CDN. Any single CDN is the same single point of failure for every region behind it.

    ## Example
    ```hcl
    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.main.zone_id
      name    = "www.example.com"
      type    = "A"

      alias {
        name                   = aws_cloudfront_distribution.site.domain_name
        zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
        evaluate_target_health = false
      }
    }
    ```

    Use instead: a failover pair, PRIMARY the alias to the distribution with a health check
    on the name, SECONDARY an alias to a regional load balancer that serves the same site.

    ## References
    - https://azure.status.microsoft/status/history/?trackingId=YKYN-BWZ
    - https://learn.microsoft.com/en-us/azure/frontdoor/high-availability
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
    - https://cloud.google.com/cdn/docs/overview
    """
    system = project.system_of(unit)
    if system is not None and system.library:
        return
    members = [project.unit(u) for u in system.units] if system is not None else [unit]
    units = [m for m in members if m is not None]
    groups: dict[tuple[str, str], list[tuple[Unit, Path]]] = {}
    for member in units:
        for path in record_paths(member):
            name = path.record.fqdn or (path.record.name if isinstance(path.record.name, str) else None)
            if name is None or path.record.rtype is None:
                continue
            groups.setdefault((name.strip().rstrip(".").lower(), path.record.rtype), []).append((member, path))
    for (name, _), paths in sorted(groups.items()):
        if paths[0][0].id != unit.id or not _single_edge(name, [p for _, p in paths]):
            continue
        yield _violation(unit, name, [p for _, p in paths])


def _single_edge(name: str, paths: Sequence[Path]) -> bool:
    if name.split(".", 1)[0] in _STATIC_LABELS:
        return False
    if any(not p.known or p.vendor is None for p in paths):
        return False
    return len({p.vendor for p in paths}) == 1


def _violation(unit: Unit, name: str, paths: Sequence[Path]) -> Violation:
    first = paths[0]
    vendor = str(first.vendor)
    edges = tuple(e for p in paths for e in p.edges)
    application = serves_application(unit, edges)
    through = ", ".join(dict.fromkeys(p.target for p in paths if p.target)) or vendor
    records = ", ".join(dict.fromkeys(p.record.label for p in paths))
    what = "the application behind it" if application else "it"
    message = (
        f"{name} answers only through {vendor} ({records} -> {through}), with no record that reaches the origin "
        f"another way: when {vendor} fails (Azure Front Door failed worldwide on 29 October 2025), {what} "
        "cannot be reached"
    )
    return Violation(
        message,
        at=first.record.resource,
        fix=_FIXES.get(vendor),
        severity=Severity.WARNING if application else Severity.NOTE,
    )
