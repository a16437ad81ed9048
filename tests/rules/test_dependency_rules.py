"""RES403-RES405: hidden dependencies on one region or vendor (messages, resources, lines, and
unknown values that never fire)."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _findings(path: Path, rule_id: str) -> list[Finding]:
    return [f for f in scan([path], Settings(select=(rule_id,)), ParseOptions()).findings if f.rule_id == rule_id]


def test_sts_region_pinned_to_us_east_1_is_named_on_the_provider() -> None:
    (finding,) = _findings(FIXTURES / "sts_pinned_to_us_east_1" / "fail_sts_region", "RES403")
    assert (finding.path, finding.line, finding.resource) == (
        "fixtures/sts_pinned_to_us_east_1/fail_sts_region/main.tf", 1, None
    )
    assert finding.message.startswith('provider "aws" runs in eu-west-1 but calls STS in us-east-1 (sts_region = "us-east-1")')


def test_the_global_sts_endpoint_counts_as_us_east_1_in_plans_too() -> None:
    findings = _findings(FIXTURES / "sts_pinned_to_us_east_1" / "fail_plan", "RES403")
    assert sorted(f.message.split(" runs in ")[0] for f in findings) == ['provider "aws"', 'provider "aws.ohio"']


def test_sts_settings_of_unknown_value_never_fire(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "sts" {\n  type = string\n}\n\nprovider "aws" {\n  region = "eu-west-1"\n'
            "  sts_region = var.sts\n\n  endpoints {\n    sts = var.sts\n  }\n}\n"
        },
    )
    assert _findings(tmp_path, "RES403") == []


def test_location_mismatch_follows_the_group_into_modules() -> None:
    findings = _findings(FIXTURES / "azure_location_mismatch" / "fail_dr_resources_in_primary_group", "RES404")
    assert [(f.resource, f.line) for f in findings] == [
        ("azurerm_service_plan.dr", 18),
        ("module.dr_storage.azurerm_storage_account.dr", 9),
    ]
    assert findings[0].message == (
        "azurerm_service_plan.dr is in northeurope, but its resource group azurerm_resource_group.app is in "
        "westeurope: while westeurope is down, Azure Resource Manager may not accept changes to it"
    )


def test_front_door_classic_names_the_retirement() -> None:
    (finding,) = _findings(FIXTURES / "azure_front_door_classic" / "fail_classic_front_door", "RES405")
    assert (finding.resource, finding.line) == ("azurerm_frontdoor.web", 5)
    assert "retired on 31 March 2027" in finding.message
    assert "azurerm_cdn_frontdoor_profile" in (finding.fix or "")


def test_route53_zone_without_accelerated_recovery_is_a_note_or_a_warning() -> None:
    folder = FIXTURES / "route53_without_accelerated_recovery"
    (plain,) = _findings(folder / "fail_public_zone", "RES207")
    assert (plain.resource, plain.line, plain.severity.value) == ("aws_route53_zone.public", 5, "note")
    assert plain.fix == "Set enable_accelerated_recovery = true (before an incident: it cannot be enabled during one)"
    (steering,) = _findings(folder / "fail_failover_zone_warning", "RES207")
    assert steering.severity.value == "warning"
    assert steering.message.endswith("so its failover records cannot be re-pointed or failed over by hand then")
    cfn = _findings(folder / "fail_cfn_zone", "RES207")
    assert [(f.resource, f.line) for f in cfn] == [("PublicZone", 3), ("FeaturesOff", 7)]
    assert cfn[0].fix is not None and "HostedZoneFeatures: {EnableAcceleratedRecovery: true}" in cfn[0].fix
