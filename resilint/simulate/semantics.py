"""The status of every node of a graph under a set of failures.

- A node is down when its own placement failed (`exposure`), and otherwise as bad as what it
  needs: every member of an `all` need; for a `failover` need the first member, or, when the
  chooser evaluates its health, the next one that survives; for a `pool` any member, as long as
  the chooser evaluates health (a member that fails without health evaluation keeps receiving
  traffic, so the node is down).
- A DNS name goes dark when every provider serving its zone failed; with another provider left
  it is degraded (resolvers retry the other name servers).
- Route 53's data plane keeps answering when its control plane (homed in us-east-1) fails, so
  health-checked failover still works; a recovery that needs a record change does not.
- A data store down with its region is degraded when a live replica survives elsewhere (the last
  writes are at risk: replication is asynchronous), down when only a backup or nothing survives.
- What lives inside a host (a database in its instance or server, `relations.hosting`) takes
  its host's status instead of its own placement's.
- Unresolved nodes are unknown; unknown never turns into up or down.
- The copies of a stack deployed to several regions are nodes of their own; a name whose
  records several copies (or units) make fails over, or moves traffic, between them as the
  records say. Records that cannot all exist (each copy makes the same simple record) leave one
  of them, not known which: unknown when only some of them are down.
"""

from __future__ import annotations

from resilint.relations.dns_providers import display
from resilint.relations.replication import store_of
from resilint.simulate.exposure import Failures, own_status
from resilint.simulate.graph import Graph, Member, Need, Node
from resilint.simulate.status import RANK, UP, Status, worst

_ROUTE53_CONTROL = "aws:route53-control-plane"


class Evaluator:
    def __init__(self, graph: Graph, failures: Failures) -> None:
        self.graph = graph
        self.failures = failures
        self.statuses: dict[str, Status] = {}
        self._visiting: set[str] = set()

    def status(self, node: Node) -> Status:
        found = self.statuses.get(node.key)
        if found is not None:
            return found
        if node.key in self._visiting:
            return UP  # a reference loop: the node is judged where the loop started
        self._visiting.add(node.key)
        result = self._evaluate(node)
        self._visiting.discard(node.key)
        self.statuses[node.key] = result
        return result

    def _evaluate(self, node: Node) -> Status:
        label = shown(node)
        if node.kind == "unresolved" and not node.needs:
            if self.failures.reaches_serving(node.near):
                return Status("unknown", node.reason, (label,))
            return UP
        if node.kind == "dns":
            return self._dns(node).via(label)
        parts: list[Status] = []
        if node.host is not None:
            parts.append(self._hosted(node, node.host))
        elif node.resource is not None and node.unit is not None and node.kind != "name":
            own = own_status(node.unit, node.resource, self.failures)
            if node.layer == "data" and own.state == "down":
                own = self._surviving_copy(node, own)
            parts.append(own)
        for need in node.needs:
            parts.append(self._need(node, need))
        result = worst(parts)
        return result.via(label)

    def _hosted(self, node: Node, host: Node) -> Status:
        """A resource that lives inside another (a database in its instance or server) shares its
        host's fate: down when the host is down, unknown when it is unknown. A child store with
        copies of its own (an Azure SQL database's geo-replica) is judged by them when its host's
        placement fails; otherwise by what becomes of its host's data."""
        status = self.status(host)
        if node.layer != "data" or status.state != "down" or node.unit is None or node.resource is None:
            return status
        store = store_of(node.unit, node.resource.address)
        if store is None or host.unit is None or host.resource is None:
            return status
        own = own_status(host.unit, host.resource, self.failures)
        if own.state != "down":
            return status  # the host is down through what it needs, not its placement
        return self._surviving_copy(node, Status("down", f"{own.reason} ({shown(host)}, which hosts it)"))

    # needs

    def _need(self, node: Node, need: Need) -> Status:
        if need.mode == "all":
            return worst([self.status(m.node) for m in need.members])
        if need.mode == "failover":
            return self._failover(node, need)
        if need.mode == "part":
            return self._part(need)
        if need.mode == "either":
            return self._either(need)
        return self._pool(node, need)

    def _either(self, need: Need) -> Status:
        """Exactly one member serves and which is not known (the units that each make one simple
        record of a name: the first deployed has it, or the last, when it overwrites): what they
        all share holds (all down is down); one down beside others that are not is unknown, never
        down or up."""
        judged = [self.status(m.node) for m in need.members]
        down = [s for s in judged if s.state == "down"]
        if not down or len(down) == len(judged):
            return worst(judged)
        status = down[0]
        return Status("unknown", f"{status.reason}; whether the name answers with it is not known: {need.via}, so only one of them has it", status.trail)

    def _part(self, need: Need) -> Status:
        """Each member carries a part of the work (a path, a zone's share): all of them down is
        down; some down is degraded, unless the others are unknown (then it may be down)."""
        judged = [(m, self.status(m.node)) for m in need.members]
        down = [(m, s) for m, s in judged if s.state == "down"]
        if not down:
            return worst([s for _, s in judged])
        # explain through a member that fails because of what it needs, not by itself: that is
        # the news (a subnet's egress through a NAT gateway in the failed zone)
        member, status = max(down, key=lambda pair: len(pair[1].trail))
        if len(down) == len(judged):
            return status
        if any(s.state == "unknown" for _, s in judged):
            other, unknown = next((m, s) for m, s in judged if s.state == "unknown")
            why = unknown.reason
            shared = status.reason.split("; ", 1)[0] + "; "
            if why.startswith(shared):
                why = why[len(shared) :]  # both start with the failure itself: say it once
            where = f"{unknown.trail[-1]}: " if unknown.trail and unknown.trail[-1] != other.node.label else ""
            return Status("unknown", f"{status.reason}; whether {other.node.label} carries on is not known ({where}{why})", status.trail)
        return Status("degraded", f"{status.reason}; the other {need.via} carry on", status.trail)

    def _failover(self, node: Node, need: Need) -> Status:
        primary, *rest = need.members
        first = self.status(primary.node)
        if first.state == "up":
            if any(self.status(m.node).state == "down" for m in rest):
                return Status("degraded", f"its standby is down: {need.via} have nothing left to fail over to", first.trail)
            return first
        if first.state == "degraded":
            return first
        if primary.evaluated is False:
            if first.state == "unknown":
                return first
            return Status("down", first.reason + self._stuck(node, primary, rest, need), first.trail)
        survivor = next((m for m in rest if self.status(m.node).state in ("up", "degraded")), None)
        if primary.evaluated is None:
            return Status("unknown", f"whether {need.via} evaluate the health of {primary.node.label} is not known", first.trail)
        if survivor is not None:
            took = self.status(survivor.node)
            word = "may fail over" if first.state == "unknown" else "fails over"
            return _moved(f"{word} from {primary.node.label} ({first.reason}) through {need.via}", took)
        later = [self.status(m.node) for m in rest]
        unknown = next((s for s in [first, *later] if s.state == "unknown"), None)
        if unknown is not None:
            return Status("unknown", unknown.reason, unknown.trail)
        return Status("down", f"{first.reason}; nothing to fail over to is up", first.trail)

    def _pool(self, node: Node, need: Need) -> Status:
        judged = [(m, self.status(m.node)) for m in need.members]
        survivors = [(m, s) for m, s in judged if s.state in ("up", "degraded")]
        troubled = [(m, s) for m, s in judged if s.state in ("down", "unknown")]
        if not troubled:
            return worst([s for _, s in judged])
        for member, status in troubled:
            if status.state == "down" and member.evaluated is False:
                return Status("down", status.reason + self._stuck(node, member, [m for m, _ in survivors], need), status.trail)
        if any(m.evaluated is None for m, s in troubled):
            member, status = next((m, s) for m, s in troubled if m.evaluated is None)
            return Status("unknown", f"whether {need.via} evaluate the health of {member.node.label} is not known", status.trail)
        if not survivors:
            return worst([s for _, s in troubled])
        if all(m.evaluated is True for m, _ in troubled):
            member, status = troubled[0]
            word = "may move" if status.state == "unknown" else "moves"
            return _moved(f"traffic {word} away from {member.node.label} ({status.reason}) through {need.via}", survivors[0][1])
        member, status = troubled[0]
        return Status("unknown", status.reason, status.trail)

    def _stuck(self, node: Node, failed: Member, others: list[Member], need: Need) -> str:
        """Why traffic stays on a failed member, and whether a record change could help."""
        verb = "does" if need.via.endswith("routing") else "do"  # "latency routing does", "failover records do"
        text = f"; {need.via} {verb} not evaluate the health of {failed.node.label}, so traffic stays on it"
        alive = [m for m in others if self.status(m.node).state in ("up", "degraded")]
        if node.kind == "name" and alive:
            text += f"; only a record change moves it to {alive[0].node.label}"
            if node.dns_family == "route53" and self.failures.control_plane_down(_ROUTE53_CONTROL):
                text += ", and Route 53's control plane (us-east-1) is down, so no record can be changed"
        elif node.kind == "name" and node.dns_family == "route53" and self.failures.control_plane_down(_ROUTE53_CONTROL):
            text += "; Route 53's control plane (us-east-1) is down, so no record can be changed"
        return text

    # DNS providers

    def _dns(self, node: Node) -> Status:
        failed = {f: self.failures.dns_families[f] for f in node.families if f in self.failures.dns_families}
        if not failed:
            return UP
        names = ", ".join(display(f) for f in sorted(failed))
        left = sorted(node.families - set(failed))
        delegated = f" (delegated by {node.delegated_by})" if node.delegated_by else ""
        if left:
            return Status("degraded", f"{names} failed; the zone is still served by {', '.join(display(f) for f in left)}{delegated}")
        if node.domain is None or not node.families_complete:
            return Status("unknown", f"{names} failed and whether another provider serves the zone is not known")
        return Status("down", f"the zone goes dark: {node.domain} is served only by {names}{delegated}, which failed")

    # data

    def _surviving_copy(self, node: Node, own: Status) -> Status:
        assert node.unit is not None and node.resource is not None
        store = store_of(node.unit, node.resource.address)
        if store is None:
            return Status("down", f"{own.reason}; no copy of its data outside the failure is in the code")
        if store.undecided is not None:
            return Status("unknown", f"{own.reason}; whether its data is copied elsewhere is not known ({store.undecided})")
        failed_regions = {region for cloud, region in self.failures.regions if cloud == node.resource.cloud}
        surviving = [c for c in store.copies if c.region is not None and c.region not in failed_regions]
        live = sorted({c.region for c in surviving if c.kind == "replica" and c.region})
        if live:
            return Status("degraded", f"{own.reason}; available from its replica in {', '.join(live)}, the last writes at risk (asynchronous replication)")
        if any(c.region is None for c in store.copies):
            return Status("unknown", f"{own.reason}; the region of a copy of its data is not known")
        backups = sorted({c.region for c in surviving if c.region})
        if backups:
            return Status("down", f"{own.reason}; only a backup in {', '.join(backups)} survives: it must be restored")
        return Status("down", f"{own.reason}; no copy of its data survives: lost")


def _moved(how: str, took: Status) -> Status:
    """Traffic moved to a survivor: degraded, explained by the move, and by what degrades the
    survivor in turn (a store it needs that lost its region), so that neither hides the other."""
    if took.state != "degraded" or not took.reason:
        return Status("degraded", how, took.trail)
    if len(took.trail) > 1:
        return Status("degraded", f"{how}; {took.trail[-1]}, which it needs, is degraded: {took.reason}", took.trail[:1])
    return Status("degraded", f"{how}; it is degraded too: {took.reason}", took.trail)


def shown(node: Node) -> str:
    """A node's label with its region: `aws_lb.web (us-east-1)`."""
    resource = node.resource
    if resource is None or node.kind in ("name", "dns") or node.copy is not None:
        return node.label  # a copy's label says its region already
    region = resource.region
    return f"{node.label} ({region})" if isinstance(region, str) and region else node.label


def evaluate(graph: Graph, failures: Failures) -> Evaluator:
    evaluator = Evaluator(graph, failures)
    for node in sorted(graph.nodes.values(), key=lambda n: n.key):
        evaluator.status(node)
    return evaluator


__all__ = ["RANK", "Evaluator", "evaluate", "shown"]
