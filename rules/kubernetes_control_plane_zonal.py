"""RES318 kubernetes-control-plane-zonal."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT, as_str
from resilint.families.compute import CONTAINER_CLUSTERS
from resilint.model import Project, Unit
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES318",
    name="kubernetes-control-plane-zonal",
    severity=Severity.NOTE,
    summary="A Kubernetes control plane has no zone redundancy or uptime SLA",
    fix='Use a control plane with an uptime SLA (AKS sku_tier = "Standard")',
    tags=("az", "kubernetes", "azure"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Kubernetes cluster whose control plane is not built to survive a zone failure:

    - an AKS cluster (`azurerm_kubernetes_cluster`) on the Free tier: `sku_tier = "Free"`, or
      `sku_tier` not set (Free is the default). The Free tier has no uptime SLA for the API
      server and a control plane with limited resources, which Microsoft recommends only for
      development and test clusters; the Standard and Premium tiers (and `Paid`, their name
      before azurerm 3.51) give the API server a 99.95% SLA in a cluster that uses
      availability zones.

    Zonal GKE clusters (a `google_container_cluster` whose `location` is a zone, with one
    control plane in that zone) are RES104's, so that one cluster is never reported twice; a
    node pool in one zone is RES304's. EKS runs its control plane in three zones of the region
    whatever the code says, so nothing is checked there. A tier resilint cannot resolve (a
    variable without a value) is not judged.

    ## Why is this bad?
    Workloads keep running when the API server is down, but nothing can change: no scaling, no
    rescheduling of the pods of a failed node or zone, no deployments, and controllers that
    depend on the API (ingress, autoscalers, operators) stall. A zone failure is exactly when
    the cluster must move pods, so a control plane without an SLA turns a partial outage into a
    frozen cluster.

    ## Example
    ```hcl
    resource "azurerm_kubernetes_cluster" "main" {
      name                = "main"
      location            = "westeurope"
      resource_group_name = "app"
      dns_prefix          = "main"
      # sku_tier defaults to "Free"
    }
    ```

    Use instead:
    ```hcl
    resource "azurerm_kubernetes_cluster" "main" {
      name                = "main"
      location            = "westeurope"
      resource_group_name = "app"
      dns_prefix          = "main"
      sku_tier            = "Standard"
    }
    ```

    ## References
    - https://learn.microsoft.com/en-us/azure/aks/free-standard-pricing-tiers
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-aks
    - https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters
    """
    for cluster in CONTAINER_CLUSTERS.members(unit):
        if cluster.resource.count_unknown or not cluster.has("tier"):
            continue
        name, tier = cluster.setting("tier")
        if tier is DEFAULT:
            why = f'{name} is not set; the default is "Free"'
        else:
            text = as_str(tier)
            if text is None or text.strip().lower() != "free":
                continue  # a tier with an SLA, or one not known
            why = f'{name} = "{text.strip()}"'
        standard = cluster.assignment("tier", '"Standard"')
        yield Violation(
            f"{cluster.address} runs its control plane on the Free tier ({why}): the API server has no uptime "
            "SLA and limited resources, and nothing guarantees it through a zone failure, when the cluster "
            "must reschedule the pods of the lost zone",
            at=cluster.resource,
            fix=(
                f'Set {standard} (or "Premium") for a '
                "financially backed API server SLA (99.95% with availability zones)"
            ),
        )
