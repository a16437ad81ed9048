"""Region relations: replication between stores, secondary-data purposes, the serving
footprint and pinned satellites, subnet zones."""

from __future__ import annotations

from pathlib import Path

import pytest

import resilint.placement as zone_helpers
from resilint.discover import discover
from resilint.model import Project, Unit
from resilint.parsers import ParseOptions, build_project
from resilint.relations import footprint, placement, replication
from tests.conftest import write

AWS = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
"""


def _project(root: Path, options: ParseOptions | None = None) -> Project:
    found = discover([root], (), 20 << 20)
    return build_project(found.files, found.problems, options or ParseOptions())


def _unit(tmp_path: Path, text: str, name: str = "main.tf") -> Unit:
    write(tmp_path, {name: text})
    (unit,) = _project(tmp_path).units
    return unit


def _store(unit: Unit, address: str) -> replication.Store:
    store = replication.store_of(unit, address)
    assert store is not None, f"{address} is not a store"
    return store


def test_dynamodb_replica_blocks_and_replica_resources(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_dynamodb_table" "blocks" {
  name = "blocks"
  replica {
    region_name = "us-west-2"
  }
  replica {
    region_name = "eu-west-1"
  }
}

resource "aws_dynamodb_table" "resource" {
  name = "resource"
}

resource "aws_dynamodb_table_replica" "west" {
  provider         = aws.west
  global_table_arn = aws_dynamodb_table.resource.arn
}

resource "aws_dynamodb_table" "alone" {
  name = "alone"
}
""",
    )
    assert _store(unit, "aws_dynamodb_table.blocks").replica_regions == ("eu-west-1", "us-west-2")
    assert _store(unit, "aws_dynamodb_table.resource").replica_regions == ("us-west-2",)
    alone = _store(unit, "aws_dynamodb_table.alone")
    assert not alone.replicated and alone.undecided is None
    assert replication.replica_regions(unit) == {
        "eu-west-1": ("aws_dynamodb_table.blocks",),
        "us-west-2": ("aws_dynamodb_table.blocks", "aws_dynamodb_table.resource"),
    }


def test_an_unattributed_replica_makes_tables_without_evidence_undecided(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
variable "table_arn" {
  type = string
}

resource "aws_dynamodb_table" "orders" {
  name = "orders"
}

resource "aws_dynamodb_table_replica" "west" {
  provider         = aws.west
  global_table_arn = var.table_arn
}
""",
    )
    store = _store(unit, "aws_dynamodb_table.orders")
    assert not store.replicated
    assert store.undecided is not None and "aws_dynamodb_table_replica.west" in store.undecided


def test_s3_destinations_are_copies_and_same_region_replication_is_named(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_s3_bucket" "source" {
  bucket = "source"
}

resource "aws_s3_bucket" "nearby" {
  bucket = "nearby"
}

resource "aws_s3_bucket" "far" {
  provider = aws.west
  bucket   = "far"
}

resource "aws_s3_bucket_replication_configuration" "source" {
  bucket = aws_s3_bucket.source.id
  role   = "arn:aws:iam::123456789012:role/r"

  rule {
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.nearby.arn
    }
  }

  rule {
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::far"
    }
  }
}
""",
    )
    source = _store(unit, "aws_s3_bucket.source")
    assert source.same_region == ["aws_s3_bucket.nearby"]
    assert [c.region for c in source.copies] == ["us-west-2"]
    assert _store(unit, "aws_s3_bucket.nearby").replica_of == "aws_s3_bucket.source"
    assert _store(unit, "aws_s3_bucket.far").replica_of == "aws_s3_bucket.source"
    assert replication.replica_addresses(unit) == {"aws_s3_bucket.nearby", "aws_s3_bucket.far"}


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("arn:aws:s3:::shop-data", "shop-data"),
        ("arn:aws:s3:::shop-data/*", "shop-data"),
        ("arn:aws-cn:s3:::shop-data", "shop-data"),
        ("s3://shop-data/prefix/", "shop-data"),
        ("shop-data.s3.amazonaws.com", "shop-data"),
        ("shop-data.s3.eu-west-1.amazonaws.com", "shop-data"),
        ("shop-data", "shop-data"),
        ("Not A Bucket", None),
    ],
)
def test_s3_bucket_names_in_arns_urls_and_hosts(value: str, name: str | None) -> None:
    assert replication.s3_bucket_name(value) == name


def test_log_sinks_and_websites_have_a_purpose(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket" "granted" {
  bucket = "granted"
  grant {
    type        = "Group"
    permissions = ["WRITE"]
    uri         = "http://acs.amazonaws.com/groups/s3/LogDelivery"
  }
}

resource "aws_s3_bucket" "policy_logs" {
  bucket = "policy-logs"
}

resource "aws_s3_bucket_policy" "policy_logs" {
  bucket = aws_s3_bucket.policy_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::policy-logs/*"
    }]
  })
}

resource "aws_cloudfront_distribution" "site" {
  logging_config {
    bucket = aws_s3_bucket.logs.bucket_domain_name
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "data"
}
""",
    )
    assert "aws_cloudfront_distribution.site" in (_store(unit, "aws_s3_bucket.logs").purpose or "")
    assert "log delivery group" in (_store(unit, "aws_s3_bucket.granted").purpose or "")
    assert "logging.s3.amazonaws.com" in (_store(unit, "aws_s3_bucket.policy_logs").purpose or "")
    assert _store(unit, "aws_s3_bucket.data").purpose is None


def test_rds_replicas_backups_and_aurora_global_clusters(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_db_instance" "primary" {
  identifier = "primary"
}

resource "aws_db_instance" "replica" {
  provider            = aws.west
  replicate_source_db = "arn:aws:rds:us-east-1:123456789012:db:primary"
}

resource "aws_db_instance" "backed_up" {
  identifier = "backed-up"
}

resource "aws_db_instance_automated_backups_replication" "backed_up" {
  provider               = aws.west
  source_db_instance_arn = aws_db_instance.backed_up.arn
}

resource "aws_rds_global_cluster" "g" {
  global_cluster_identifier = "g"
}

resource "aws_rds_cluster" "a" {
  engine                    = "aurora-postgresql"
  global_cluster_identifier = aws_rds_global_cluster.g.id
}

resource "aws_rds_cluster" "b" {
  provider                  = aws.west
  engine                    = "aurora-postgresql"
  global_cluster_identifier = aws_rds_global_cluster.g.id
}

resource "aws_rds_cluster" "replica_cluster" {
  provider                      = aws.west
  engine                        = "aurora-mysql"
  replication_source_identifier = aws_rds_cluster.source.arn
}

resource "aws_rds_cluster" "source" {
  engine = "aurora-mysql"
}
""",
    )
    assert _store(unit, "aws_db_instance.replica").replica_of == "aws_db_instance.primary"
    assert _store(unit, "aws_db_instance.primary").replica_regions == ("us-west-2",)
    backed_up = _store(unit, "aws_db_instance.backed_up")
    assert [(c.region, c.kind) for c in backed_up.copies] == [("us-west-2", "backup")]
    assert backed_up.replica_regions == ()  # a backup is not a live replica
    assert _store(unit, "aws_rds_cluster.a").replica_regions == ("us-west-2",)
    assert _store(unit, "aws_rds_cluster.b").replica_regions == ("us-east-1",)
    assert _store(unit, "aws_rds_cluster.source").replica_regions == ("us-west-2",)
    assert _store(unit, "aws_rds_cluster.replica_cluster").replica_of == "aws_rds_cluster.source"


def test_cloudformation_stores_share_the_stack_region(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Source:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration:
        Role: arn:aws:iam::123456789012:role/r
        Rules:
          - Status: Enabled
            Destination: {Bucket: !GetAtt Copy.Arn}
  Copy:
    Type: AWS::S3::Bucket
  Table:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas: [{Region: !Ref AWS::Region}, {Region: eu-west-1}]
""",
        name="template.yaml",
    )
    assert _store(unit, "Source").same_region == ["Copy"]
    assert _store(unit, "Source").copies == []
    assert _store(unit, "Table").replicated


def test_azure_and_google_stores(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
provider "azurerm" {
  features {}
}

provider "google" {
  region = "us-central1"
}

resource "azurerm_storage_account" "geo" {
  location                 = "westeurope"
  account_replication_type = "RAGZRS"
}

resource "azurerm_storage_account" "local" {
  location                 = "westeurope"
  account_replication_type = "LRS"
}

resource "azurerm_cosmosdb_account" "two" {
  location = "westeurope"
  geo_location {
    location          = "West Europe"
    failover_priority = 0
  }
  geo_location {
    location          = "northeurope"
    failover_priority = 1
  }
}

resource "google_storage_bucket" "dual" {
  name     = "dual"
  location = "EUR4"
}

resource "google_sql_database_instance" "primary" {
  name = "primary"
}

resource "google_sql_database_instance" "dr" {
  name                 = "dr"
  region               = "us-east1"
  master_instance_name = google_sql_database_instance.primary.name
}
""",
    )
    assert _store(unit, "azurerm_storage_account.geo").replicated
    assert not _store(unit, "azurerm_storage_account.local").replicated
    assert _store(unit, "azurerm_cosmosdb_account.two").replica_regions == ("northeurope",)
    assert _store(unit, "google_storage_bucket.dual").multi_region == "dual-region location EUR4"
    assert _store(unit, "google_sql_database_instance.primary").replica_regions == ("us-east1",)
    assert _store(unit, "google_sql_database_instance.dr").replica_of == "google_sql_database_instance.primary"


def test_roles_and_satellites(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_acm_certificate" "cdn" {
  provider    = aws.west
  domain_name = "example-shop.com"
}

resource "aws_acm_certificate" "alb" {
  domain_name = "api.example-shop.com"
}

resource "aws_cloudfront_distribution" "cdn" {
  viewer_certificate {
    acm_certificate_arn = aws_acm_certificate.cdn.arn
  }
}

resource "aws_wafv2_ip_set" "edge" {
  scope = "CLOUDFRONT"
}

resource "aws_wafv2_ip_set" "regional" {
  scope = "REGIONAL"
}
""",
    )
    assert footprint.satellites(unit) == {"aws_acm_certificate.cdn", "aws_wafv2_ip_set.edge"}
    kinds = {
        "aws_instance": "serving",
        "aws_lb_listener": "serving",
        "AWS::Serverless::Function": "serving",
        "google_cloud_run_v2_service": "serving",
        "aws_dynamodb_table": "data",
        "AWS::RDS::DBCluster": "data",
        "azurerm_storage_account": "data",
        "aws_db_subnet_group": "support",
        "AWS::RDS::DBSubnetGroup": "support",
        "aws_vpc": "support",
        "aws_iam_role": "support",
        "aws_sqs_queue": "other",
    }
    for resource_type, expected in kinds.items():
        resource = unit.resources[0].model_copy(update={"type": resource_type})
        assert footprint.role(resource) == expected, resource_type


def test_region_helpers() -> None:
    assert zone_helpers.aws_zone_region("us-east-1a") == "us-east-1"
    assert zone_helpers.aws_zone_region("us-gov-west-1b") == "us-gov-west-1"
    assert zone_helpers.aws_zone_region("us-east-1-bos-1a") == "us-east-1"
    assert zone_helpers.aws_zone_region("use1-az1") is None
    assert zone_helpers.gcp_zone_region("europe-west4-b") == "europe-west4"
    assert zone_helpers.gcp_zone_region("europe-west4") is None
    assert placement.describe(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"


def test_subnet_zones_follow_references_and_stay_silent_on_unknowns(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        AWS
        + """
resource "aws_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "by_id" {
  availability_zone_id = "use1-az1"
}

resource "aws_subnet" "anywhere" {}

resource "aws_db_subnet_group" "two" {
  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
}

resource "aws_db_subnet_group" "anywhere" {
  subnet_ids = [aws_subnet.a.id, aws_subnet.anywhere.id]
}

resource "aws_db_subnet_group" "mixed_names_and_ids" {
  subnet_ids = [aws_subnet.a.id, aws_subnet.by_id.id]
}

resource "aws_db_subnet_group" "literal" {
  subnet_ids = ["subnet-0123456789abcdef0"]
}
""",
    )

    def zones(address: str) -> tuple[str, ...] | None:
        group = unit.resource(address)
        assert group is not None
        found = placement.subnet_zones(unit, group, "subnet_ids")
        return None if found is None else found[1]

    assert zones("aws_db_subnet_group.two") == ("us-east-1a", "us-east-1b")
    assert zones("aws_db_subnet_group.anywhere") is None
    assert zones("aws_db_subnet_group.mixed_names_and_ids") is None
    assert zones("aws_db_subnet_group.literal") is None


def test_google_global_resources_have_no_region(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
provider "google" {
  region = "us-central1"
}

resource "google_compute_network" "vpc" {
  name = "vpc"
}

resource "google_compute_backend_service" "web" {
  name = "web"
}

resource "google_compute_subnetwork" "a" {
  name   = "a"
  region = "us-central1"
}
""",
    )
    regional = {r.address for r in unit.resources if placement.regional(r)}
    assert regional == {"google_compute_subnetwork.a"}
