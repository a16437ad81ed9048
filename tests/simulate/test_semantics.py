"""Each rule of the simulation's semantics, on Terraform parsed for real."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, data, entry, only, simulated

SUBNETS = """
resource "aws_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  availability_zone = "us-east-1b"
}
"""

ZONE = """
resource "aws_route53_zone" "public" {
  name = "orders-shop.io"
}
"""


def _lb(name: str, provider: str = "", subnets: str = "[aws_subnet.a.id, aws_subnet.b.id]") -> str:
    """A load balancer with a listener forwarding to a target group that an Auto Scaling
    group spanning the same subnets registers with."""
    alias = f"\n  provider = aws.{provider}" if provider else ""
    return f"""
resource "aws_lb" "{name}" {{{alias}
  subnets = {subnets}
}}

resource "aws_lb_target_group" "{name}" {{{alias}
  port = 443
}}

resource "aws_lb_listener" "{name}" {{{alias}
  load_balancer_arn = aws_lb.{name}.arn
  default_action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.{name}.arn
  }}
}}

resource "aws_autoscaling_group" "{name}" {{{alias}
  vpc_zone_identifier = {subnets}
  target_group_arns   = [aws_lb_target_group.{name}.arn]
}}
"""


def _record(name: str, target: str, extra: str = "", evaluate: str = "true") -> str:
    return f"""
resource "aws_route53_record" "{name}" {{
  zone_id = aws_route53_zone.public.zone_id
  name    = "www"
  type    = "A"
{extra}
  alias {{
    name                   = {target}.dns_name
    zone_id                = {target}.zone_id
    evaluate_target_health = {evaluate}
  }}
}}
"""


def _failover(primary_evaluates: str, health_check: bool = False) -> str:
    check = "  health_check_id = aws_route53_health_check.web.id\n" if health_check else ""
    return (
        EAST
        + SUBNETS
        + ZONE
        + _lb("web")
        + _lb("standby", "west", '["subnet-1", "subnet-2"]')
        + 'resource "aws_route53_health_check" "web" {\n  type = "HTTPS"\n}\n'
        + _record("primary", "aws_lb.web", '  set_identifier = "primary"\n  failover_routing_policy {\n    type = "PRIMARY"\n  }\n' + check, primary_evaluates)
        + _record("secondary", "aws_lb.standby", '  set_identifier = "secondary"\n  failover_routing_policy {\n    type = "SECONDARY"\n  }\n')
    )


def test_region_failure_takes_down_what_runs_there(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web", evaluate="false")}
    down = entry(simulated(tmp_path, files, "aws:us-east-1"), "www.orders-shop.io")
    assert down.state == "down"
    assert down.because.startswith("www.orders-shop.io → aws_lb.web (us-east-1) → down: region us-east-1 failed")
    assert entry(simulated(tmp_path, files, "aws:eu-west-1"), "www.orders-shop.io").state == "up"


def test_failover_with_health_evaluation_moves_traffic(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": _failover("true")}, "aws:us-east-1"), "www.orders-shop.io")
    assert status.state == "degraded"
    assert status.because == (
        "www.orders-shop.io → aws_lb.standby (us-west-2) → degraded: fails over from aws_lb.web "
        "(region us-east-1 failed) through failover records"
    )


def test_failover_with_a_health_check_moves_traffic(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": _failover("false", health_check=True)}, "aws:us-east-1"), "www.orders-shop.io")
    assert status.state == "degraded"


def test_failover_without_health_evaluation_stays_on_the_failed_target(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": _failover("false")}, "aws:us-east-1"), "www.orders-shop.io")
    assert status.state == "down"
    assert "failover records do not evaluate the health of aws_lb.web, so traffic stays on it" in status.because
    # us-east-1 hosts Route 53's control plane: the record change that would recover is not possible
    assert "only a record change moves it to aws_lb.standby, and Route 53's control plane (us-east-1) is down" in status.because


def test_control_plane_only_failure_changes_no_answer(tmp_path: Path) -> None:
    for evaluate in ("true", "false"):
        simulation = simulated(tmp_path / evaluate, {"main.tf": _failover(evaluate)}, "aws:route53-control-plane")
        assert only(simulation).verdict == "up"


def test_record_change_recovers_when_the_control_plane_is_up(tmp_path: Path) -> None:
    files = {"main.tf": _failover("false").replace('region = "us-east-1"', 'region = "eu-west-1"').replace("us-east-1a", "eu-west-1a").replace("us-east-1b", "eu-west-1b")}
    status = entry(simulated(tmp_path, files, "aws:eu-west-1"), "www.orders-shop.io")
    assert status.state == "down"
    assert status.because.endswith("only a record change moves it to aws_lb.standby")


def test_standby_down_leaves_the_primary_serving_without_redundancy(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": _failover("true")}, "aws:us-west-2"), "www.orders-shop.io")
    assert status.state == "degraded"
    assert "its standby is down" in status.because


def test_multi_zone_group_survives_one_zone(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web")}
    status = entry(simulated(tmp_path, files, "aws:us-east-1a"), "www.orders-shop.io")
    assert status.state == "degraded"
    assert "zone us-east-1a failed; it loses that zone's capacity and runs on in the others" in status.because
    assert entry(simulated(tmp_path, files, "aws:us-east-1c"), "www.orders-shop.io").state == "up"


def test_single_zone_resource_goes_down_with_its_zone(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + ZONE + _lb("web", subnets="[aws_subnet.a.id]") + _record("www", "aws_lb.web")}
    assert entry(simulated(tmp_path, files, "aws:us-east-1a"), "www.orders-shop.io").state == "down"


def test_zone_ids_and_names_are_not_compared(tmp_path: Path) -> None:
    one = {"main.tf": EAST + SUBNETS + ZONE + _lb("web", subnets="[aws_subnet.a.id]") + _record("www", "aws_lb.web")}
    assert entry(simulated(tmp_path / "one", one, "aws:use1-az1"), "www.orders-shop.io").state == "unknown"
    two = {"main.tf": EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web")}
    status = entry(simulated(tmp_path / "two", two, "aws:use1-az1"), "www.orders-shop.io")
    assert status.state == "degraded"
    assert "may lose" in status.because


def test_azure_zones(tmp_path: Path) -> None:
    files = {
        "main.tf": """
resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name     = "web"
  location = "westeurope"
  zones    = ["1", "2"]
}

resource "azurerm_linux_virtual_machine" "single" {
  name     = "single"
  location = "westeurope"
  zone     = "1"
  zones    = ["1"]
}
"""
    }
    simulation = simulated(tmp_path, files, "azure:westeurope-1")
    assert entry(simulation, "azurerm_linux_virtual_machine_scale_set.web").state == "degraded"
    assert entry(simulation, "azurerm_linux_virtual_machine.single").state == "down"
    assert only(simulated(tmp_path, files, "azure:westeurope-3")).verdict == "up"
    assert only(simulated(tmp_path, files, "azure:westeurope")).verdict == "down"


def test_gcp_zones_and_regions(tmp_path: Path) -> None:
    files = {"main.tf": 'resource "google_compute_instance" "web" {\n  name = "web"\n  zone = "us-central1-a"\n}\n'}
    assert entry(simulated(tmp_path, files, "gcp:us-central1-a"), "google_compute_instance.web").state == "down"
    assert entry(simulated(tmp_path, files, "gcp:us-central1-b"), "google_compute_instance.web").state == "up"
    assert entry(simulated(tmp_path, files, "gcp:us-central1"), "google_compute_instance.web").state == "down"


CDN = """
resource "aws_cloudfront_distribution" "site" {
  origin {
    origin_id   = "east"
    domain_name = aws_lb.web.dns_name
  }

  origin {
    origin_id   = "west"
    domain_name = aws_lb.standby.dns_name
  }
%s
  default_cache_behavior {
    target_origin_id = "%s"
  }
}
"""
GROUP = """
  origin_group {
    origin_id = "both"

    failover_criteria {
      status_codes = [500, 502, 503, 504]
    }

    member {
      origin_id = "east"
    }

    member {
      origin_id = "west"
    }
  }
"""


def test_cdn_fails_over_only_through_an_origin_group(tmp_path: Path) -> None:
    base = EAST + SUBNETS + _lb("web") + _lb("standby", "west", '["subnet-1"]')
    grouped = simulated(tmp_path / "g", {"main.tf": base + CDN % (GROUP, "both")}, "aws:us-east-1")
    status = entry(grouped, "aws_cloudfront_distribution.site")
    assert status.state == "degraded"
    assert "through origin group both" in status.because
    single = simulated(tmp_path / "s", {"main.tf": base + CDN % ("", "east")}, "aws:us-east-1")
    assert entry(single, "aws_cloudfront_distribution.site").state == "down"


def test_global_service_failure(tmp_path: Path) -> None:
    base = EAST + SUBNETS + _lb("web") + _lb("standby", "west", '["subnet-1"]')
    status = entry(simulated(tmp_path, {"main.tf": base + CDN % (GROUP, "both")}, "aws:cloudfront"), "aws_cloudfront_distribution.site")
    assert status.state == "down"
    assert status.because == "aws_cloudfront_distribution.site → down: aws:cloudfront failed"


def test_one_dns_provider_goes_dark_with_it(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web")}
    status = entry(simulated(tmp_path, files, "aws:route53"), "www.orders-shop.io")
    assert status.state == "down"
    assert status.because == (
        "www.orders-shop.io → DNS orders-shop.io → down: the zone goes dark: orders-shop.io is served only by Route 53, which failed"
    )


def test_two_dns_providers_keep_answering(tmp_path: Path) -> None:
    files = {
        "main.tf": EAST
        + SUBNETS
        + ZONE
        + _lb("web")
        + _record("www", "aws_lb.web")
        + 'resource "ns1_zone" "public" {\n  zone = "orders-shop.io"\n}\n'
    }
    for target in ("aws:route53", "ns1"):
        status = entry(simulated(tmp_path, files, target), "www.orders-shop.io")
        assert status.state == "degraded", target
    assert "the zone is still served by NS1" in entry(simulated(tmp_path, files, "aws:route53"), "www.orders-shop.io").because


TABLE = """
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
%s}
"""


def test_async_replica_survives_with_last_writes_at_risk(tmp_path: Path) -> None:
    files = {"main.tf": EAST + TABLE % '  replica {\n    region_name = "us-west-2"\n  }\n'}
    status = data(simulated(tmp_path, files, "aws:us-east-1"), "aws_dynamodb_table.orders")
    assert status.state == "degraded"
    assert "available from its replica in us-west-2, the last writes at risk" in status.because


def test_store_without_surviving_copy_is_lost(tmp_path: Path) -> None:
    status = data(simulated(tmp_path, {"main.tf": EAST + TABLE % ""}, "aws:us-east-1"), "aws_dynamodb_table.orders")
    assert status.state == "down"
    assert status.because.endswith("no copy of its data survives: lost")


def test_data_a_serving_resource_references_takes_it_down(tmp_path: Path) -> None:
    files = {
        "main.tf": EAST
        + TABLE % ""
        + """
resource "aws_lambda_function" "api" {
  function_name = "api"
  environment {
    variables = {
      TABLE = aws_dynamodb_table.orders.name
    }
  }
}

resource "aws_lambda_function_url" "api" {
  provider           = aws.west
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}
"""
    }
    simulation = simulated(tmp_path, files, "aws:us-east-1")
    status = entry(simulation, "aws_lambda_function_url.api")
    assert status.state == "down"
    assert "aws_lambda_function.api (us-east-1)" in status.because


def test_multi_az_database_survives_a_zone(tmp_path: Path) -> None:
    files = {
        "main.tf": EAST
        + 'resource "aws_db_instance" "ha" {\n  engine   = "postgres"\n  multi_az = true\n}\n\n'
        + 'resource "aws_db_instance" "single" {\n  engine = "postgres"\n}\n'
    }
    simulation = simulated(tmp_path, files, "aws:us-east-1a")
    assert data(simulation, "aws_db_instance.ha").state == "degraded"
    single = data(simulation, "aws_db_instance.single")
    assert single.state == "unknown"
    assert "the zone it runs in is not known" in single.because


def test_unresolved_answers_are_unknown_never_guessed(tmp_path: Path) -> None:
    files = {
        "main.tf": EAST
        + ZONE
        + """
resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www"
  type    = "A"
  ttl     = 60
  records = ["192.0.2.10"]
}
"""
    }
    assert entry(simulated(tmp_path, files, "aws:us-east-1"), "www.orders-shop.io").state == "unknown"
    assert entry(simulated(tmp_path, files, "aws:route53-control-plane"), "www.orders-shop.io").state == "up"


def test_unknown_region_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "region" {}\n\nprovider "aws" {\n  region = var.region\n}\n\nresource "aws_instance" "web" {}\n'}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), "aws_instance.web")
    assert status.state == "unknown"
    assert "its region is not known" in status.because


def test_provider_failure(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web")}
    assert entry(simulated(tmp_path, files, "aws"), "www.orders-shop.io").state == "down"
    assert entry(simulated(tmp_path, files, "cloudflare"), "www.orders-shop.io").state == "up"


FRONT_DOOR = """
resource "azurerm_linux_web_app" "west" {
  name     = "orders-west"
  location = "westeurope"
}

resource "azurerm_linux_web_app" "north" {
  name     = "orders-north"
  location = "northeurope"
}

resource "azurerm_cdn_frontdoor_profile" "edge" {
  name     = "edge"
  sku_name = "Standard_AzureFrontDoor"
}

resource "azurerm_cdn_frontdoor_endpoint" "orders" {
  name                     = "orders"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id
}

resource "azurerm_cdn_frontdoor_origin_group" "orders" {
  name                     = "orders"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id
%s
  load_balancing {}
}

resource "azurerm_cdn_frontdoor_origin" "west" {
  name                          = "west"
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.orders.id
  host_name                     = azurerm_linux_web_app.west.default_hostname
}

resource "azurerm_cdn_frontdoor_origin" "north" {
  name                          = "north"
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.orders.id
  host_name                     = azurerm_linux_web_app.north.default_hostname
}

resource "azurerm_cdn_frontdoor_route" "orders" {
  name                          = "orders"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.orders.id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.orders.id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.west.id, azurerm_cdn_frontdoor_origin.north.id]
}
"""
PROBE = """
  health_probe {
    protocol            = "Https"
    interval_in_seconds = 30
  }
"""


def test_front_door_moves_traffic_only_with_health_probes(tmp_path: Path) -> None:
    probed = simulated(tmp_path / "p", {"main.tf": FRONT_DOOR % PROBE}, "azure:westeurope")
    status = entry(probed, "azurerm_cdn_frontdoor_endpoint.orders")
    assert status.state == "degraded"
    assert "traffic moves away from azurerm_linux_web_app.west" in status.because
    blind = simulated(tmp_path / "b", {"main.tf": FRONT_DOOR % ""}, "azure:westeurope")
    assert entry(blind, "azurerm_cdn_frontdoor_endpoint.orders").state == "down"


def test_azure_front_door_scenario(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": FRONT_DOOR % PROBE}, "azure:front-door", "azure:cdn")
    status = entry(simulation, "azurerm_cdn_frontdoor_endpoint.orders")
    assert status.state == "down"
    assert status.because == "azurerm_cdn_frontdoor_endpoint.orders → down: azure:front-door failed"


def test_an_up_system_says_what_it_has(tmp_path: Path) -> None:
    """A system with no entry point was "up: every entry point keeps serving", which reads as if
    its traffic had been checked."""
    role = 'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n}\n'
    assert only(simulated(tmp_path / "a", {"main.tf": EAST + role}, "aws:us-east-1")).because == (
        "no entry point or data store in the code: nothing the failure can stop"
    )
    bucket = 'resource "aws_s3_bucket" "b" {}\n'
    verdict = only(simulated(tmp_path / "b", {"main.tf": EAST + bucket}, "aws:us-west-2"))
    assert (verdict.verdict, verdict.because) == ("up", "no entry point in the code; its data stays available")
