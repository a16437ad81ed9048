"""RES310 global-front-door-single-endpoint: exact findings (resource, line, message) for each
kind of front door, and the endpoints it counts."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.relations.front_doors import Endpoint, front_doors
from resilint.scan import load_project, scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "global_front_door_single_endpoint"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES310",)), ParseOptions()).findings if f.rule_id == "RES310"]


def test_accelerator_with_one_group_in_the_providers_region() -> None:
    (finding,) = _findings(FIXTURES / "fail_accelerator_one_region")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_globalaccelerator_listener.web", 9, "warning")
    assert finding.message == (
        "aws_globalaccelerator_listener.web (Global Accelerator listener) sends traffic to one endpoint group, "
        "aws_globalaccelerator_endpoint_group.east in us-east-1: when us-east-1 or that endpoint group fails, the "
        "Global Accelerator listener has nowhere else to send users"
    )
    assert finding.fix is not None and finding.fix.startswith("Add an aws_globalaccelerator_endpoint_group")


def test_accelerator_in_cloudformation_speaks_cloudformation() -> None:
    (finding,) = _findings(FIXTURES / "fail_accelerator_cfn")
    assert (finding.resource, finding.line) == ("Listener", 7)
    assert "EastGroup in us-east-1" in finding.message
    assert finding.fix is not None and "EndpointGroupRegion" in finding.fix


def test_traffic_manager_counts_enabled_endpoints_only() -> None:
    (finding,) = _findings(FIXTURES / "fail_traffic_manager_one_endpoint")
    assert (finding.resource, finding.line) == ("azurerm_traffic_manager_profile.web", 14)
    assert "one endpoint, azurerm_traffic_manager_azure_endpoint.primary in westeurope" in finding.message


def test_traffic_manager_endpoints_in_one_region_compare_normalized_locations() -> None:
    (finding,) = _findings(FIXTURES / "fail_traffic_manager_one_region")
    assert (finding.resource, finding.line) == ("azurerm_traffic_manager_profile.api", 1)
    assert "spreads traffic over 2 endpoints, all in eastus" in finding.message


def test_front_door_and_gcp_backends_in_one_region() -> None:
    (front_door,) = _findings(FIXTURES / "fail_front_door_origins_one_region")
    assert (front_door.resource, front_door.line) == ("azurerm_cdn_frontdoor_origin_group.shop", 38)
    assert "2 origins, all in westeurope" in front_door.message
    (backend,) = _findings(FIXTURES / "fail_gcp_backends_one_region")
    assert (backend.resource, backend.line) == ("google_compute_backend_service.web", 49)
    assert "2 backends, all in europe-west1" in backend.message


def test_front_door_origin_group_without_a_health_probe() -> None:
    (finding,) = _findings(FIXTURES / "fail_front_door_without_health_probe")
    assert (finding.resource, finding.line) == ("azurerm_cdn_frontdoor_origin_group.shop", 26)
    assert finding.message == (
        "azurerm_cdn_frontdoor_origin_group.shop (Front Door origin group) has 2 enabled origins and no health_probe: "
        "Front Door cannot tell a failed origin from a healthy one and keeps sending users to it"
    )
    assert finding.fix is not None and finding.fix.startswith("Add a health_probe block to the origin group")


def test_origins_in_one_region_without_a_probe_say_both(tmp_path: Path) -> None:
    text = (FIXTURES / "fail_front_door_without_health_probe" / "main.tf").read_text(encoding="utf-8")
    write(tmp_path, {"main.tf": text.replace('location            = "northeurope"', 'location            = "westeurope"')})
    (finding,) = _findings(tmp_path)
    assert "spreads traffic over 2 origins, all in westeurope" in finding.message
    assert finding.message.endswith("; has 2 enabled origins and no health_probe: Front Door cannot tell a failed origin from a healthy one and keeps sending users to it")


def test_classic_front_door_backend_pool_in_one_region() -> None:
    (finding,) = _findings(FIXTURES / "fail_classic_backends_one_region")
    assert (finding.resource, finding.line) == ("azurerm_frontdoor.shop", 23)
    assert finding.message.startswith(
        'azurerm_frontdoor.shop (classic Front Door backend pool "web") spreads traffic over 2 backends, all in '
        "westeurope (azurerm_linux_web_app.blue, azurerm_linux_web_app.green)"
    )
    assert finding.fix is not None and finding.fix.startswith("Add a backend in a second region")


def test_classic_pool_judged_once_its_second_region_moves_to_the_first(tmp_path: Path) -> None:
    text = (FIXTURES / "pass_classic_backends_two_regions" / "main.tf").read_text(encoding="utf-8")
    write(tmp_path, {"main.tf": text.replace('location            = "northeurope"', 'location            = "westeurope"')})
    (finding,) = _findings(tmp_path)
    assert 'backend pool "web"' in finding.message


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_endpoint_groups_in_another_root_of_the_system_count(tmp_path: Path) -> None:
    # The accelerator's root holds one group; a region's root reads its state and adds a
    # group in a second region: together they are one system with two regions.
    write(
        tmp_path,
        {
            "global/main.tf": 'terraform {\n  backend "s3" {\n    bucket = "state"\n    key    = "global.tfstate"\n'
            '    region = "us-east-1"\n  }\n}\n\nprovider "aws" {\n  region = "us-east-1"\n}\n\n'
            'resource "aws_globalaccelerator_accelerator" "web" {\n  name = "web"\n}\n\n'
            'resource "aws_globalaccelerator_listener" "web" {\n  accelerator_arn = aws_globalaccelerator_accelerator.web.id\n'
            '  protocol        = "TCP"\n\n  port_range {\n    from_port = 443\n    to_port   = 443\n  }\n}\n\n'
            'resource "aws_globalaccelerator_endpoint_group" "east" {\n  listener_arn = aws_globalaccelerator_listener.web.id\n}\n\n'
            'output "listener_arn" {\n  value = aws_globalaccelerator_listener.web.id\n}\n',
            "west/main.tf": 'provider "aws" {\n  region = "us-west-2"\n}\n\n'
            'data "terraform_remote_state" "global" {\n  backend = "s3"\n  config = {\n    bucket = "state"\n'
            '    key    = "global.tfstate"\n    region = "us-east-1"\n  }\n}\n\n'
            'resource "aws_globalaccelerator_endpoint_group" "west" {\n'
            "  listener_arn = data.terraform_remote_state.global.outputs.listener_arn\n}\n",
        },
    )
    assert _findings(tmp_path) == []
    project = load_project([tmp_path], Settings(), ParseOptions())
    unit = next(u for u in project.units if u.id.endswith("global"))
    (listener,) = front_doors(unit, project)
    assert listener.endpoints == (
        Endpoint("aws_globalaccelerator_endpoint_group.east", "us-east-1"),
        Endpoint("aws_globalaccelerator_endpoint_group.west", "us-west-2"),
    )
    # Without the second region's root, the same accelerator serves one region.
    (tmp_path / "west" / "main.tf").unlink()
    (finding,) = _findings(tmp_path)
    assert finding.resource == "aws_globalaccelerator_listener.web"


def test_legacy_traffic_manager_endpoints_count_by_status_and_parent_name() -> None:
    # azurerm before 3.0: `profile_name` names the profile (a literal here, found through the
    # reference), `endpoint_status = "Disabled"` takes the standby out.
    (finding,) = _findings(FIXTURES / "fail_legacy_endpoints_one_enabled")
    assert (finding.resource, finding.line) == ("azurerm_traffic_manager_profile.web", 2)
    assert "one endpoint, azurerm_traffic_manager_endpoint.primary in westeurope" in finding.message
