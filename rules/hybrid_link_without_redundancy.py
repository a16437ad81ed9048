"""RES314 hybrid-link-without-redundancy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from resilint.arguments import DEFAULT, as_bool, as_str
from resilint.families.base import Member
from resilint.families.hybrid import HYBRID_LINKS
from resilint.model import Project, Unit, UnknownAttribute
from resilint.relations.network import shorten
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES314",
    name="hybrid-link-without-redundancy",
    severity=Severity.WARNING,
    summary="A VPN, Direct Connect, ExpressRoute or Interconnect link has no second link",
    fix="Add a second link on a second device (and location), so that losing one leaves the other",
    tags=("az", "network", "hybrid"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags the links between a cloud network and an on-premises (or partner) network that have
    nothing to fail over to:

    - AWS Site-to-Site VPN: a virtual private gateway or transit gateway
      (`vpn_gateway_id` / `transit_gateway_id`, `VpnGatewayId` / `TransitGatewayId`) reached by
      VPN connections (`aws_vpn_connection`, `AWS::EC2::VPNConnection`) from one customer gateway
      only. A connection's two tunnels protect the AWS side, not the customer device or its
      line. A gateway that Direct Connect also reaches is not flagged: the VPN is its backup.
    - AWS Direct Connect: a Direct Connect gateway or virtual private gateway whose virtual
      interfaces (`aws_dx_private_virtual_interface`, `aws_dx_transit_virtual_interface`) all
      run over one connection or LAG, or over connections at one Direct Connect `location`
      (a note when a VPN connection to the same gateway is the backup).
    - Azure: a VPN gateway (`azurerm_virtual_network_gateway` with `type = "Vpn"`) that is not
      `active_active` (the default), and a gateway whose ExpressRoute connections
      (`azurerm_virtual_network_gateway_connection` with `type = "ExpressRoute"`) all use one
      circuit, or circuits at one `peering_location`.
    - Google Cloud: a Classic VPN gateway (`google_compute_vpn_gateway`, one interface) that is
      the unit's only VPN gateway (two Classic gateways were the old redundant design); an HA
      VPN gateway (`google_compute_ha_vpn_gateway`) whose tunnels (`google_compute_vpn_tunnel`)
      all use one `vpn_gateway_interface`; an external peer gateway with
      `redundancy_type = "SINGLE_IP_INTERNALLY_REDUNDANT"` (one peer device, a note); and the
      VLAN attachments of a region (`google_compute_interconnect_attachment`) when there is
      one, or when all of them use the same `edge_availability_domain`.

    Links are counted within one deployment unit. A gateway, customer gateway, connection or
    circuit that is not known (a variable, a count that is not known, a tunnel whose gateway is
    not known) stops the count for the whole unit: it may be the second link. The one exception
    is a unit's only VPN connection: it is the only link to its gateway, whichever that is. CloudFormation
    has no Direct Connect virtual interfaces, so Direct Connect is judged in Terraform only.

    ## Why is this bad?
    Hybrid links fail more often than cloud zones: a customer router reboots, a carrier cuts a
    fibre, a Direct Connect location loses power, a gateway instance is patched. With one link
    every workload that needs the data centre (or the data centre that needs the cloud) stops
    for the whole outage, however many zones and regions the cloud side spans. AWS, Azure and
    Google all recommend two links on two devices, and two locations for the highest
    resiliency.

    ## Example
    ```hcl
    resource "aws_vpn_connection" "office" {
      vpn_gateway_id      = aws_vpn_gateway.main.id
      customer_gateway_id = aws_customer_gateway.office.id
      type                = "ipsec.1"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_vpn_connection" "office_a" {
      vpn_gateway_id      = aws_vpn_gateway.main.id
      customer_gateway_id = aws_customer_gateway.router_a.id
      type                = "ipsec.1"
    }

    resource "aws_vpn_connection" "office_b" {
      vpn_gateway_id      = aws_vpn_gateway.main.id
      customer_gateway_id = aws_customer_gateway.router_b.id
      type                = "ipsec.1"
    }
    ```

    ## References
    - https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html
    - https://docs.aws.amazon.com/directconnect/latest/UserGuide/resiliency_toolkit.html
    - https://learn.microsoft.com/en-us/azure/vpn-gateway/vpn-gateway-highlyavailable
    - https://learn.microsoft.com/en-us/azure/expressroute/designing-for-high-availability-with-expressroute
    - https://cloud.google.com/network-connectivity/docs/vpn/concepts/topologies
    - https://cloud.google.com/network-connectivity/docs/interconnect/tutorials/partner-creating-9999-availability
    """
    links = list(HYBRID_LINKS.members(unit))
    if any(link.resource.count_unknown for link in links):
        return  # one resource may stand for several links
    by_kind: dict[str, list[Member]] = defaultdict(list)
    for link in links:
        by_kind[link.kind].append(link)
    dx_gateways = _direct_connect_gateways(by_kind)
    vpn_gateways = _vpn_gateways(by_kind["vpn_connection"])
    yield from _vpn_connections(by_kind["vpn_connection"], vpn_gateways, dx_gateways)
    yield from _direct_connect(by_kind, vpn_gateways)
    yield from _azure_vpn_gateways(by_kind["azure_gateway"])
    yield from _express_route(by_kind)
    yield from _classic_vpn(by_kind["classic_vpn_gateway"], by_kind["ha_vpn_gateway"])
    yield from _ha_vpn(by_kind)
    yield from _external_peers(by_kind["external_vpn_gateway"])
    yield from _interconnect(by_kind["interconnect_attachment"])


def identity(value: Any) -> str | None:
    """What a reference names: a literal ID, or the resource an attribute comes from (its `id`
    and `arn` are the same gateway); None when not known."""
    if isinstance(value, str) and value.strip():
        return f"literal:{value.strip()}"
    if isinstance(value, UnknownAttribute):
        return value.address
    return None


def _label(key: str) -> str:
    return key.removeprefix("literal:")


# AWS ------------------------------------------------------------------------------------------


def _gateway(connection: Member) -> tuple[str, Any] | None:
    """The argument and value of the gateway a VPN connection ends at; None when it ends at none."""
    for role in ("vpn_gateway", "transit_gateway"):
        name, value = connection.setting(role)
        if value is not DEFAULT:
            return name, value
    return None


# The key of a gateway that is not known, when one connection alone ends at it.
UNKNOWN_GATEWAY = "unknown:"


def _vpn_gateways(connections: list[Member]) -> dict[str, list[Member]] | None:
    """VPN connections by the gateway they end at; None when one of several ends at a gateway
    that is not known (it may be any of them). The only connection of a unit is the only
    connection to its gateway, whichever that is."""
    found: dict[str, list[Member]] = defaultdict(list)
    attached = [c for c in connections if _gateway(c) is not None]  # others: Cloud WAN, or not yet
    for connection in attached:
        gateway = _gateway(connection)
        key = identity(gateway[1]) if gateway is not None else None
        if key is None:
            return {UNKNOWN_GATEWAY: [connection]} if len(attached) == 1 else None
        found[key].append(connection)
    return found


def _direct_connect_gateways(by_kind: dict[str, list[Member]]) -> set[str] | None:
    """The gateways Direct Connect reaches: those of the virtual interfaces and of the Direct
    Connect gateway associations; None when one is not known."""
    found: set[str] = set()
    for interface in by_kind["dx_interface"]:
        for role in ("dx_gateway", "vpn_gateway"):
            name, value = interface.setting(role)
            if value is DEFAULT:
                continue
            key = identity(value)
            if key is None:
                return None
            found.add(key)
    for association in by_kind["dx_association"]:
        for role in ("dx_gateway", "associated_gateway"):
            name, value = association.setting(role)
            if value is DEFAULT:
                continue
            key = identity(value)
            if key is None:
                return None
            found.add(key)
    return found


def _vpn_connections(
    connections: list[Member], gateways: dict[str, list[Member]] | None, dx_gateways: set[str] | None
) -> Iterator[Violation]:
    if gateways is None or dx_gateways is None:
        return
    for gateway, group in gateways.items():
        if gateway in dx_gateways or (gateway == UNKNOWN_GATEWAY and dx_gateways):
            continue  # the VPN backs up Direct Connect (or may)
        customers = [identity(c.setting("customer_gateway")[1]) for c in group]
        if len(group) > 1 and (any(key is None for key in customers) or len(set(customers)) > 1):
            continue
        first = group[0]
        name = _gateway(first)
        argument = name[0] if name else first.argument("vpn_gateway")
        customer = f"one customer gateway ({_label(customers[0])})" if customers[0] else "one customer gateway"
        target = f"its gateway ({argument})" if gateway == UNKNOWN_GATEWAY else f"{_label(gateway)} ({argument})"
        what = (
            f"is the only {first.service} connection to {target}"
            if len(group) == 1
            else f"and {shorten(c.address for c in group[1:])} connect {target}"
        )
        tunnels = "its two tunnels protect" if len(group) == 1 else "their tunnels protect"
        yield Violation(
            f"{first.address} {what}, from {customer}: {tunnels} only the AWS side, so "
            "when that customer device or its line fails, the link to the data centre is down",
            at=first.resource,
            fix=first.word("fix"),
        )


def _direct_connect(
    by_kind: dict[str, list[Member]], vpn_gateways: dict[str, list[Member]] | None
) -> Iterator[Violation]:
    links = {m.address: m for m in (*by_kind["dx_connection"], *by_kind["dx_lag"])}
    routes: dict[str, list[tuple[Member, str]]] = defaultdict(list)
    for interface in by_kind["dx_interface"]:
        connection = identity(interface.setting("connection")[1])
        values = [interface.setting(role)[1] for role in ("dx_gateway", "vpn_gateway")]
        gateways = [identity(value) for value in values if value is not DEFAULT]
        if connection is None or not gateways or any(g is None for g in gateways):
            return  # a connection or gateway that is not known may be the second path
        for gateway in gateways:
            routes[str(gateway)].append((interface, connection))
    associated = _associations(by_kind["dx_association"])
    for gateway, paths in routes.items():
        connections = sorted({connection for _, connection in paths})
        members = [links.get(c) for c in connections]
        if len(connections) == 1:
            why = f"over one connection ({_label(connections[0])})"
        else:
            locations = {as_str(m.value("location")) if m is not None else None for m in members}
            if len(locations) != 1 or None in locations:
                continue
            why = f'over connections at one location ({", ".join(_label(c) for c in connections)}, location = "{locations.pop()}")'
        backed_up = vpn_gateways is not None and any(g in vpn_gateways for g in {gateway, *associated.get(gateway, ())})
        anchor = members[0] if members[0] is not None else paths[0][0]
        yield Violation(
            f"{_label(gateway)} reaches the data centre through Direct Connect only {why}: when that connection "
            "or its location fails, "
            + ("traffic falls back to the VPN, at VPN bandwidth" if backed_up else "the link is down"),
            at=anchor.resource,
            fix=anchor.word("fix"),
            severity=Severity.NOTE if backed_up else Severity.WARNING,
        )


def _associations(associations: Iterable[Member]) -> dict[str, set[str]]:
    """The gateways each Direct Connect gateway is associated with."""
    found: dict[str, set[str]] = defaultdict(set)
    for association in associations:
        dx_gateway = identity(association.setting("dx_gateway")[1])
        gateway = identity(association.setting("associated_gateway")[1])
        if dx_gateway is not None and gateway is not None:
            found[dx_gateway].add(gateway)
    return found


# Azure ------------------------------------------------------------------------------------------


def _azure_vpn_gateways(gateways: list[Member]) -> Iterator[Violation]:
    for gateway in gateways:
        kind = as_str(gateway.value("type"))
        if kind is None or kind.strip().lower() != "vpn":
            continue  # ExpressRoute gateways, or a type that is not known
        name, value = gateway.setting("active_active")
        if value is DEFAULT:
            why = f"{name} is not set; the default is false"
        elif as_bool(value) is False:
            why = f"{name} = false"
        else:
            continue
        yield Violation(
            f"{gateway.address} is an active-standby {gateway.service} ({why}): one instance carries every tunnel, "
            "and when it fails or is patched the tunnels drop until the standby takes over",
            at=gateway.resource,
            fix=gateway.word("fix"),
        )


def _express_route(by_kind: dict[str, list[Member]]) -> Iterator[Violation]:
    circuits = {m.address: m for m in by_kind["express_route_circuit"]}
    by_gateway: dict[str, list[tuple[Member, str]]] = defaultdict(list)
    for connection in by_kind["azure_gateway_connection"]:
        kind = as_str(connection.value("type"))
        if kind is None:
            return
        if kind.strip().lower() != "expressroute":
            continue
        gateway = identity(connection.value("gateway"))
        circuit = identity(connection.value("circuit"))
        if gateway is None or circuit is None:
            return
        by_gateway[gateway].append((connection, circuit))
    for gateway, paths in by_gateway.items():
        keys = sorted({circuit for _, circuit in paths})
        found = [circuits.get(k) for k in keys]
        if len(keys) == 1:
            why = f"one circuit ({_label(keys[0])})"
        else:
            locations = {as_str(c.value("location")) if c is not None else None for c in found}
            if len(locations) != 1 or None in locations:
                continue
            why = f'circuits at one peering location ({", ".join(_label(k) for k in keys)}, peering_location = "{locations.pop()}")'
        anchor = found[0] if found[0] is not None else paths[0][0]
        yield Violation(
            f"{_label(gateway)} reaches the data centre over ExpressRoute through {why}: when that circuit or its "
            "peering location fails, the link is down",
            at=anchor.resource,
            fix=HYBRID_LINKS.word("express_route_circuit", anchor.source, "fix"),
        )


# Google Cloud -----------------------------------------------------------------------------------


def _classic_vpn(gateways: list[Member], ha_gateways: list[Member]) -> Iterator[Violation]:
    if len(gateways) + len(ha_gateways) != 1:
        return  # another gateway of the unit may be the second path (two Classic VPN gateways were the old redundant design)
    for gateway in gateways:
        yield Violation(
            f"{gateway.address} is a {gateway.service} gateway: one interface and one external IP address carry "
            "every tunnel, so when it fails the link is down",
            at=gateway.resource,
            fix=gateway.word("fix"),
        )


def _ha_vpn(by_kind: dict[str, list[Member]]) -> Iterator[Violation]:
    interfaces: dict[str, set[int]] = defaultdict(set)
    argument = ""
    for tunnel in by_kind["vpn_tunnel"]:
        value = tunnel.setting("gateway")[1]
        if value is DEFAULT:
            continue  # a Classic VPN tunnel
        key = identity(value)
        interface = tunnel.value("interface")
        if key is None or isinstance(interface, bool) or not isinstance(interface, (int, str)):
            return  # a tunnel whose gateway or interface is not known may use the other one
        interfaces[key].add(int(interface) if str(interface).isdigit() else -1)
        argument = tunnel.argument("interface")
    for gateway in by_kind["ha_vpn_gateway"]:
        used = interfaces.get(gateway.address)
        if not used or len(used) > 1 or -1 in used:
            continue
        yield Violation(
            f"{gateway.address} is an {gateway.service} gateway, but every tunnel uses interface {next(iter(used))} "
            f"({argument}): the other interface carries nothing, so when this one fails the link is down",
            at=gateway.resource,
            fix=gateway.word("fix"),
        )


def _external_peers(gateways: list[Member]) -> Iterator[Violation]:
    for gateway in gateways:
        name, value = gateway.setting("redundancy")
        if as_str(value) != "SINGLE_IP_INTERNALLY_REDUNDANT":
            continue
        yield Violation(
            f'{gateway.address} is one peer device ({name} = "SINGLE_IP_INTERNALLY_REDUNDANT"): the tunnels to it '
            "end at one IP address, so when that device fails the link is down",
            at=gateway.resource,
            fix=gateway.word("fix"),
            severity=Severity.NOTE,
        )


def _interconnect(attachments: list[Member]) -> Iterator[Violation]:
    by_region: dict[str, list[Member]] = defaultdict(list)
    for attachment in attachments:
        kind = attachment.setting("type")[1]
        if kind is not DEFAULT and as_str(kind) is None:
            return
        if as_str(kind) == "PARTNER_PROVIDER":
            continue  # the service provider's side
        if not isinstance(attachment.resource.region, str):
            return  # a region that is not known: the attachments cannot be grouped
        by_region[attachment.resource.region].append(attachment)
    for region, group in sorted(by_region.items()):
        first = group[0]
        if len(group) == 1:
            what = f"is the only {first.service} VLAN attachment in {region}"
        else:
            domains: set[str | None] = set()
            for attachment in group:
                value = attachment.setting("domain")[1]
                domains.add(as_str(value) if value is not DEFAULT else None)
            domain = next(iter(domains))
            if len(domains) != 1 or domain is None or domain == "AVAILABILITY_DOMAIN_ANY":
                continue
            what = (
                f"and {shorten(a.address for a in group[1:])}, the {first.service} VLAN attachments in {region}, "
                f'are all in one edge availability domain ({first.argument("domain")} = "{domain}")'
            )
        yield Violation(
            f"{first.address} {what}: when that edge domain or its interconnect fails, the link to the data centre "
            "is down",
            at=first.resource,
            fix=first.word("fix"),
        )
