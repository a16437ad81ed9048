"""RES318 kubernetes-control-plane-zonal: AKS clusters on the Free tier (notes), and zonal GKE
clusters left to RES104 so that one cluster is reported once."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kubernetes_control_plane_zonal"


def _findings(path: Path, *rule_ids: str) -> list[Finding]:
    return [f for f in scan([path], Settings(select=rule_ids), ParseOptions()).findings if f.rule_id in rule_ids]


def test_free_tier_clusters_are_notes_naming_the_tier() -> None:
    findings = _findings(FIXTURES / "fail_aks_free_tier", "RES318")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("azurerm_kubernetes_cluster.default_tier", 5, "note"),
        ("azurerm_kubernetes_cluster.free", 23, "note"),
    ]
    assert findings[0].message.startswith(
        'azurerm_kubernetes_cluster.default_tier runs its control plane on the Free tier (sku_tier is not set; '
        'the default is "Free"): the API server has no uptime SLA'
    )
    assert '(sku_tier = "Free")' in findings[1].message
    assert findings[0].fix is not None and findings[0].fix.startswith('Set sku_tier = "Standard" (or "Premium")')


def test_paid_and_unknown_tiers_are_not_reported() -> None:
    assert _findings(FIXTURES / "pass_aks_paid_tiers", "RES318") == []
    assert _findings(FIXTURES / "pass_unknown_tier", "RES318") == []


def test_a_zonal_gke_cluster_is_reported_once_by_res104() -> None:
    findings = _findings(FIXTURES / "pass_gke_zonal_is_res104", "RES104", "RES318")
    assert [(f.rule_id, f.resource, f.line) for f in findings] == [("RES104", "google_container_cluster.zonal", 8)]
