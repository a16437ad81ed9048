"""What lives inside a host resource (a Cloud SQL database or user in its instance, an Azure SQL
database in its server) shares the host's fate: down when the host is down, unknown when it is
unknown, found through the reference the child holds to its host."""

from __future__ import annotations

from pathlib import Path

from resilint.simulate.report.layout import picture
from tests.simulate.helpers import data, entry, only, simulated

CLOUD_SQL = """
provider "google" {
  region = "us-central1"
}

variable "region" {}

resource "google_sql_database_instance" "main" {
  name   = "main"
  region = %s
}

resource "google_sql_database" "orders" {
  name     = "orders"
  instance = google_sql_database_instance.main.name
}

resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
}

resource "google_sql_database" "elsewhere" {
  name     = "elsewhere"
  instance = "an-instance-outside-the-code"
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    containers {
      env {
        name  = "DB"
        value = google_sql_database.orders.name
      }
    }
  }
}
"""

INSTANCE = "google_sql_database_instance.main (us-central1)"


def test_a_cloud_sql_database_and_user_go_down_with_their_instance(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": CLOUD_SQL % '"us-central1"'}, "gcp:us-central1")
    lost = "down: region us-central1 failed; no copy of its data survives: lost"
    assert data(simulation, "google_sql_database.orders").because == f"google_sql_database.orders → {INSTANCE} → {lost}"
    assert data(simulation, "google_sql_user.app").because == f"google_sql_user.app → {INSTANCE} → {lost}"
    # the service in another region needs the database, which its instance takes down
    assert entry(simulation, "google_cloud_run_v2_service.api").because == (
        f"google_cloud_run_v2_service.api (europe-west1) → google_sql_database.orders → {INSTANCE} → {lost}"
    )
    assert only(simulation).verdict == "down"
    # a host the reference does not lead to ties nothing: the database keeps its own placement
    assert data(simulation, "google_sql_database.elsewhere").state == "up"


def test_a_database_whose_instance_region_is_not_known_is_unknown(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": CLOUD_SQL % "var.region"}, "gcp:us-central1")
    assert data(simulation, "google_sql_database_instance.main").state == "unknown"
    assert data(simulation, "google_sql_database.orders").state == "unknown"
    assert data(simulation, "google_sql_user.app").state == "unknown"
    assert data(simulation, "google_sql_database.orders").trail == ("google_sql_database.orders", "google_sql_database_instance.main")


def test_a_database_up_while_its_instance_is_up(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": CLOUD_SQL % '"us-central1"'}, "gcp:europe-north1")
    assert data(simulation, "google_sql_database.orders").state == "up"
    assert only(simulation).verdict == "up"


def test_the_picture_draws_no_edge_along_a_column_from_a_child_to_its_host(tmp_path: Path) -> None:
    both = CLOUD_SQL.replace("value = google_sql_database.orders.name", 'value = "${google_sql_database.orders.name}@${google_sql_database_instance.main.connection_name}"')
    drawn = picture(only(simulated(tmp_path, {"main.tf": both % '"us-central1"'}, "gcp:us-central1")))
    assert [(a.split("::")[1], b.split("::")[1]) for a, b in drawn.edges] == [
        ("google_cloud_run_v2_service.api", "google_sql_database.orders"),
        ("google_cloud_run_v2_service.api", "google_sql_database_instance.main"),
    ]


AZURE_SQL = """
provider "azurerm" {
  features {}
}

resource "azurerm_mssql_server" "primary" {
  name                = "primary"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_mssql_server" "secondary" {
  name                = "secondary"
  location            = "northeurope"
  resource_group_name = "rg"
}

resource "azurerm_mssql_database" "orders" {
  name      = "orders"
  server_id = azurerm_mssql_server.primary.id
}

resource "azurerm_mssql_database" "orders_replica" {
  name                        = "orders"
  server_id                   = azurerm_mssql_server.secondary.id
  create_mode                 = "Secondary"
  creation_source_database_id = azurerm_mssql_database.orders.id
}

resource "azurerm_postgresql_flexible_server" "pg" {
  name                = "pg"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_postgresql_flexible_server_database" "pg" {
  name      = "app"
  server_id = azurerm_postgresql_flexible_server.pg.id
}
"""


def test_azure_databases_fail_with_their_servers_and_keep_their_own_replicas(tmp_path: Path) -> None:
    simulation = simulated(tmp_path, {"main.tf": AZURE_SQL}, "azure:westeurope")
    assert data(simulation, "azurerm_postgresql_flexible_server_database.pg").because == (
        "azurerm_postgresql_flexible_server_database.pg → azurerm_postgresql_flexible_server.pg (westeurope) → down: "
        "region westeurope failed; no copy of its data survives: lost"
    )
    assert data(simulation, "azurerm_mssql_database.orders").because == (
        "azurerm_mssql_database.orders → degraded: region westeurope failed (azurerm_mssql_server.primary (westeurope), "
        "which hosts it); available from its replica in northeurope, the last writes at risk (asynchronous replication)"
    )
    assert data(simulation, "azurerm_mssql_database.orders_replica").state == "up"
