"""DNS providers: who hosts a zone, whose name servers a host name is, how to name them.

Pure functions over strings and resource types; `dns.py` applies them to the model. Resource and
argument names were checked against the providers' documentation (Terraform AWS v6, azurerm,
google, Cloudflare v4 and v5, NS1, Akamai, DNSimple, DigitalOcean) and the CloudFormation
resource schemas shipped with cfn-lint.
"""

from __future__ import annotations

import re

from resilint.families.dns import DNS_ZONES, DOMAIN_REGISTRATIONS

# Provider family -> how messages name it.
DISPLAY = {
    "route53": "Route 53",
    "azure": "Azure DNS",
    "clouddns": "Google Cloud DNS",
    "cloudflare": "Cloudflare",
    "ns1": "NS1",
    "dnsimple": "DNSimple",
    "akamai": "Akamai Edge DNS",
    "digitalocean": "DigitalOcean DNS",
    "ultradns": "UltraDNS",
}

# Zone resource type -> (provider family, argument(s) holding the domain, newest first).
ZONE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    spelling.type: (spelling.service, spelling.arguments["name"]) for spelling in DNS_ZONES.spellings
}

# Registrar resources: type -> (argument holding the domain, how the name servers are written).
# "blocks": `name_server { name = ... }` blocks; a dotted path: a list of host names.
REGISTRAR_TYPES: dict[str, tuple[str, str]] = {
    spelling.type: (spelling.arguments["domain"][0], spelling.words["name_servers"])
    for spelling in DOMAIN_REGISTRATIONS.spellings
}

# Names that are never public production zones: RFC 2606 / RFC 6761 special-use names (test,
# example, invalid, localhost and the example.com/net/org second-level names reserved for
# documentation), mDNS (.local, RFC 6762), home networks (home.arpa, RFC 8375), .alt (RFC 9476)
# and .internal (reserved by ICANN for private use in 2024).
RESERVED_SUFFIXES = (
    "test",
    "example",
    "invalid",
    "localhost",
    "local",
    "internal",
    "alt",
    "home.arpa",
    "example.com",
    "example.net",
    "example.org",
)

# Name-server host names of providers whose servers span several domains. Anything else is
# grouped by its registrable domain ("ns1.acme.net" and "ns2.acme.net" are one provider).
_HOSTNAME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.awsdns-\d+\.(com|net|org|co\.uk)$"), "route53"),
    (re.compile(r"\.azure-dns\.(com|net|org|info)$"), "azure"),
    (re.compile(r"^ns-cloud-[a-z]\d+\.googledomains\.com$"), "clouddns"),
    (re.compile(r"\.ns\.cloudflare\.com$"), "cloudflare"),
    (re.compile(r"\.nsone\.net$"), "ns1"),
    (re.compile(r"\.dnsimple(-edge)?\.(com|net|org|io)$"), "dnsimple"),
    (re.compile(r"\.akam\.net$"), "akamai"),
    (re.compile(r"\.digitalocean\.com$"), "digitalocean"),
    (re.compile(r"\.ultradns\.(com|net|org|biz|info|co\.uk)$"), "ultradns"),
)
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")
_SECOND_LEVEL_LABELS = frozenset({"co", "com", "net", "org", "ac", "gov", "ne", "or", "edu"})

# What configuration may call a provider -> family.
_ALIASES = {
    "route53": "route53",
    "route 53": "route53",
    "route_53": "route53",
    "amazon route 53": "route53",
    "aws": "route53",
    "azure": "azure",
    "azure dns": "azure",
    "azuredns": "azure",
    "azurerm": "azure",
    "clouddns": "clouddns",
    "cloud dns": "clouddns",
    "google": "clouddns",
    "google cloud dns": "clouddns",
    "gcp": "clouddns",
    "cloudflare": "cloudflare",
    "ns1": "ns1",
    "nsone": "ns1",
    "ibm ns1": "ns1",
    "ibm ns1 connect": "ns1",
    "dnsimple": "dnsimple",
    "akamai": "akamai",
    "akamai edge dns": "akamai",
    "digitalocean": "digitalocean",
    "ultradns": "ultradns",
}


def normalize_domain(value: object) -> str | None:
    """Lower case, no trailing dot; None for anything that is not a known, non-empty string."""
    if not isinstance(value, str):
        return None
    name = value.strip().rstrip(".").lower()
    return name or None


def is_reserved(domain: str) -> bool:
    return any(domain == suffix or domain.endswith("." + suffix) for suffix in RESERVED_SUFFIXES)


def family_of_hostname(value: str) -> str | None:
    """The provider family of a name server host name; None when it is not a host name."""
    host = value.strip().rstrip(".").lower()
    if not _HOSTNAME.match(host):
        return None
    for pattern, family in _HOSTNAME_PATTERNS:
        if pattern.search(host):
            return family
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL_LABELS:
        return "other:" + ".".join(labels[-3:])
    return "other:" + ".".join(labels[-2:])


def family_of_configured(name: str) -> str:
    """The family a provider named in configuration stands for ("NS1", "route53"...)."""
    key = name.strip().lower()
    return _ALIASES.get(key, key)


def display(family: str) -> str:
    """The provider as a noun phrase: "Route 53", or "the operator of example-dns.net" for
    white-label name servers, whose host names do not say which provider runs them."""
    if family.startswith("other:"):
        return f"the operator of {family[len('other:'):]}"
    return DISPLAY.get(family, family)


def name_servers_of(family: str) -> str:
    """The provider's name servers as a noun phrase: "Route 53 name servers", "name servers under
    example-dns.net"."""
    if family.startswith("other:"):
        return f"name servers under {family[len('other:'):]}"
    return f"{display(family)} name servers"
