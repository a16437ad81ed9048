"""What load balancers and front doors send traffic to, beyond their own placement: Google Cloud
global load balancing (forwarding rule → proxy → URL map → backend services → instance groups),
Azure Load Balancer backend pools, Application Gateway backends, classic Front Door backend pools
and Azure CDN endpoint origins."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import entry, simulated

GOOGLE = """
provider "google" {
  region = "us-central1"
}

resource "google_compute_region_instance_group_manager" "us" {
  name   = "us"
  region = "us-central1"
}

resource "google_compute_region_instance_group_manager" "eu" {
  name   = "eu"
  region = "europe-west1"
}

resource "google_compute_health_check" "web" {
  name = "web"
}

resource "google_compute_backend_service" "web" {
  name = "web"
%s
  backend {
    group = google_compute_region_instance_group_manager.us.instance_group
  }

  backend {
    group = google_compute_region_instance_group_manager.eu.instance_group
  }
}

resource "google_compute_region_instance_group_manager" "api" {
  name   = "api"
  region = "us-central1"
}

resource "google_compute_backend_service" "api" {
  name          = "api"
  health_checks = [google_compute_health_check.web.id]

  backend {
    group = google_compute_region_instance_group_manager.api.instance_group
  }
}

resource "google_compute_url_map" "web" {
  name            = "web"
  default_service = google_compute_backend_service.web.id

  path_matcher {
    name            = "paths"
    default_service = google_compute_backend_service.web.id

    path_rule {
      paths   = ["/api/*"]
      service = google_compute_backend_service.api.id
    }
  }
}

resource "google_compute_target_https_proxy" "web" {
  name    = "web"
  url_map = google_compute_url_map.web.id
}

resource "google_compute_global_forwarding_rule" "web" {
  name   = "web"
  target = google_compute_target_https_proxy.web.id
}
"""
CHECKED = "  health_checks = [google_compute_health_check.web.id]\n"
RULE = "google_compute_global_forwarding_rule.web"


def test_a_global_load_balancer_moves_traffic_to_the_region_that_survives(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": GOOGLE % CHECKED}, "gcp:europe-west1"), RULE)
    assert status.state == "degraded"
    assert status.because == (
        "google_compute_global_forwarding_rule.web → google_compute_target_https_proxy.web → google_compute_url_map.web → "
        "google_compute_backend_service.web → google_compute_region_instance_group_manager.us (us-central1) → degraded: "
        "traffic moves away from google_compute_region_instance_group_manager.eu (region europe-west1 failed) through backend service health checks"
    )


def test_paths_sent_to_a_backend_service_in_the_failed_region(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": GOOGLE % CHECKED}, "gcp:us-central1")
    # the default service fails over to europe-west1, the /api/* service has nothing left: the
    # balancer goes on serving, without its /api/* paths
    assert entry(simulation, RULE).state == "degraded"
    (system,) = simulation.systems
    url_map = next(n for n in system.graph.nodes.values() if n.label == "google_compute_url_map.web")
    assert [(need.mode, [m.node.label for m in need.members]) for need in url_map.needs] == [
        ("all", ["google_compute_backend_service.web"]),
        ("part", ["google_compute_backend_service.web", "google_compute_backend_service.api"]),
    ]
    assert system.statuses[url_map.key].state == "degraded"
    api = next(n for n in system.graph.nodes.values() if n.label == "google_compute_backend_service.api")
    assert system.statuses[api.key].because == "google_compute_backend_service.api → google_compute_region_instance_group_manager.api (us-central1) → down: region us-central1 failed"


def test_without_health_checks_traffic_stays_on_the_failed_backend(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": GOOGLE % ""}, "gcp:europe-west1"), RULE)
    assert status.state == "down"
    assert "backend service health checks do not evaluate the health of google_compute_region_instance_group_manager.eu, so traffic stays on it" in status.because


def test_a_global_load_balancer_survives_the_region_of_its_provider(tmp_path: Path) -> None:
    # the forwarding rule, proxy, URL map and backend service are global: only the backends fail
    simulation = simulated(tmp_path, {"main.tf": GOOGLE % CHECKED}, "gcp:global-load-balancing")
    assert entry(simulation, RULE).state == "down"
    assert entry(simulation, RULE).because == "google_compute_global_forwarding_rule.web → down: gcp:global-load-balancing failed"


def test_a_private_service_connect_endpoint_is_no_entry_point(tmp_path: Path) -> None:
    files = {"main.tf": 'resource "google_compute_global_forwarding_rule" "psc" {\n  name = "psc"\n  load_balancing_scheme = ""\n  target = "all-apis"\n}\n'}
    (system,) = simulated(tmp_path, files, "gcp:us-central1").systems
    assert [j.node.label for j in system.entries] == []


AZURE_LB = """
resource "azurerm_public_ip" "web" {
  name     = "web"
  location = "westeurope"
  zones    = ["1", "2", "3"]
}

resource "azurerm_lb" "web" {
  name     = "web"
  location = "westeurope"
  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = azurerm_public_ip.web.id
  }
}

resource "azurerm_lb_backend_address_pool" "web" {
  name            = "web"
  loadbalancer_id = azurerm_lb.web.id
}
%s
resource "azurerm_network_interface" "one" {
  name     = "one"
  location = "westeurope"
}

resource "azurerm_network_interface_backend_address_pool_association" "one" {
  network_interface_id    = azurerm_network_interface.one.id
  ip_configuration_name   = "internal"
  backend_address_pool_id = azurerm_lb_backend_address_pool.web.id
}

resource "azurerm_linux_virtual_machine" "one" {
  name                  = "one"
  location              = "westeurope"
  zone                  = "1"
  zones                 = ["1"]
  network_interface_ids = [azurerm_network_interface.one.id]
}

resource "azurerm_linux_virtual_machine_scale_set" "many" {
  name     = "many"
  location = "westeurope"
  zones    = ["2", "3"]
  network_interface {
    name = "nic"
    ip_configuration {
      name                                   = "internal"
      load_balancer_backend_address_pool_ids = [azurerm_lb_backend_address_pool.web.id]
    }
  }
}
"""
PROBE = '\nresource "azurerm_lb_probe" "web" {\n  name            = "web"\n  loadbalancer_id = azurerm_lb.web.id\n  port            = 443\n}\n'


def test_an_azure_load_balancer_needs_the_machines_in_its_pool(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": AZURE_LB % PROBE}, "azure:westeurope-1")
    status = entry(simulation, "azurerm_lb.web")
    assert status.state == "degraded"
    assert "traffic moves away from azurerm_linux_virtual_machine.one (zone 1 failed) through load balancer health probes" in status.because
    assert entry(simulated(tmp_path, {"main.tf": AZURE_LB % PROBE}, "azure:westeurope"), "azurerm_lb.web").state == "down"


def test_an_azure_load_balancer_without_probes_keeps_sending_to_a_failed_machine(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": AZURE_LB % ""}, "azure:westeurope-1"), "azurerm_lb.web")
    assert status.state == "down"
    assert "load balancer health probes do not evaluate the health of azurerm_linux_virtual_machine.one" in status.because


def test_an_application_gateway_probes_its_backends(tmp_path: Path) -> None:
    files = {
        "main.tf": """
resource "azurerm_application_gateway" "web" {
  name     = "web"
  location = "westeurope"
  zones    = ["1", "2", "3"]
  backend_address_pool {
    name = "web"
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name     = "web"
  location = "westeurope"
  zones    = ["1"]
  network_interface {
    name = "nic"
    ip_configuration {
      name                                         = "internal"
      application_gateway_backend_address_pool_ids = [one(azurerm_application_gateway.web.backend_address_pool).id]
    }
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "spare" {
  name     = "spare"
  location = "westeurope"
  zones    = ["2"]
  network_interface {
    name = "nic"
    ip_configuration {
      name                                         = "internal"
      application_gateway_backend_address_pool_ids = [one(azurerm_application_gateway.web.backend_address_pool).id]
    }
  }
}
"""
    }
    (system,) = simulated(tmp_path, files, "azure:westeurope-1").systems
    gateway = next(j for j in system.entries if j.node.label == "azurerm_application_gateway.web")
    assert [(need.mode, [(m.node.label, m.evaluated) for m in need.members]) for need in gateway.node.needs] == [
        ("pool", [("azurerm_linux_virtual_machine_scale_set.web", True), ("azurerm_linux_virtual_machine_scale_set.spare", True)])
    ]
    assert gateway.status.state == "degraded"
    # both scale sets in zone 1: nothing is left to move traffic to
    one_zone = {"main.tf": files["main.tf"].replace('zones    = ["2"]', 'zones    = ["1"]')}
    status = entry(simulated(tmp_path / "one", one_zone, "azure:westeurope-1"), "azurerm_application_gateway.web")
    assert status.state == "down"
    assert status.because.startswith("azurerm_application_gateway.web (westeurope) → azurerm_linux_virtual_machine_scale_set.")


CLASSIC = """
resource "azurerm_linux_web_app" "east" {
  name     = "east"
  location = "eastus"
}

resource "azurerm_linux_web_app" "west" {
  name     = "west"
  location = "westus"
}

resource "azurerm_frontdoor" "web" {
  name = "web"

  backend_pool_health_probe {
    name    = "probe"
    enabled = %s
  }

  backend_pool {
    name              = "apps"
    health_probe_name = "probe"

    backend {
      address     = azurerm_linux_web_app.east.default_hostname
      host_header = azurerm_linux_web_app.east.default_hostname
      http_port   = 80
      https_port  = 443
    }

    backend {
      address     = azurerm_linux_web_app.west.default_hostname
      host_header = azurerm_linux_web_app.west.default_hostname
      http_port   = 80
      https_port  = 443
    }
  }
}
"""


def test_classic_front_door_moves_traffic_only_with_probes(tmp_path: Path) -> None:
    probed = entry(simulated(tmp_path / "p", {"main.tf": CLASSIC % "true"}, "azure:eastus"), "azurerm_frontdoor.web")
    assert probed.state == "degraded"
    assert "traffic moves away from azurerm_linux_web_app.east (region eastus failed) through Front Door health probes" in probed.because
    unprobed = entry(simulated(tmp_path / "u", {"main.tf": CLASSIC % "false"}, "azure:eastus"), "azurerm_frontdoor.web")
    assert unprobed.state == "down"
    assert "Front Door health probes do not evaluate the health of azurerm_linux_web_app.east, so traffic stays on it" in unprobed.because
    assert entry(simulated(tmp_path / "f", {"main.tf": CLASSIC % "true"}, "azure:front-door"), "azurerm_frontdoor.web").state == "down"


def test_an_azure_cdn_endpoint_needs_its_origin(tmp_path: Path) -> None:
    files = {
        "main.tf": """
resource "azurerm_storage_account" "site" {
  name     = "site"
  location = "westeurope"
}

resource "azurerm_cdn_endpoint" "site" {
  name     = "site"
  location = "westeurope"
  origin {
    name      = "site"
    host_name = azurerm_storage_account.site.primary_web_host
  }
}
"""
    }
    status = entry(simulated(tmp_path, files, "azure:westeurope"), "azurerm_cdn_endpoint.site")
    assert status.state == "down"
    # the endpoint's own placement is global (Azure CDN): what fails is the origin's region
    assert entry(simulated(tmp_path, files, "azure:northeurope"), "azurerm_cdn_endpoint.site").state == "up"
