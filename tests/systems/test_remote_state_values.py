"""Outputs of one root flow into the root that reads its state: replication destinations,
failover targets and zones resolve to the other unit's resources, with their regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.config import Settings
from resilint.model import Project
from resilint.parsers import ParseOptions
from resilint.scan import load_project
from tests.conftest import write


def backend(key: str) -> str:
    return f'terraform {{\n  backend "s3" {{\n    bucket = "acme-state"\n    key    = "{key}"\n  }}\n}}\n\n'


def reads(name: str, key: str) -> str:
    return f'data "terraform_remote_state" "{name}" {{\n  backend = "s3"\n  config = {{\n    bucket = "acme-state"\n    key    = "{key}"\n  }}\n}}\n\n'


def provider(region: str) -> str:
    return f'provider "aws" {{\n  region = "{region}"\n}}\n\n'


def bucket(name: str) -> str:
    return (
        f'resource "aws_s3_bucket" "{name}" {{\n  bucket = "acme-{name}"\n}}\n\n'
        f'resource "aws_s3_bucket_versioning" "{name}" {{\n  bucket = aws_s3_bucket.{name}.id\n'
        '  versioning_configuration {\n    status = "Enabled"\n  }\n}\n\n'
    )


REPLICATION = '''resource "aws_s3_bucket_replication_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  role   = "arn:aws:iam::111111111111:role/replication"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = data.terraform_remote_state.dr.outputs.replica_arn
    }
  }
}
'''

LB = 'resource "aws_lb" "web" {\n  name    = "web"\n  subnets = ["subnet-a", "subnet-b"]\n}\n\n'


def project(root: Path) -> Project:
    return load_project([root], Settings(), ParseOptions())


def findings(capsys: pytest.CaptureFixture[str], root: Path, rules: str) -> list[tuple[str, str, str | None]]:
    main(["scan", str(root), "--format", "json", "--no-cache", "--select", rules])
    found = json.loads(capsys.readouterr().out)["findings"]
    return [(f["rule_id"], f["unit"], f["resource"]) for f in found]


def test_a_replication_destination_in_the_dr_root_is_a_replica(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": backend("primary.tfstate") + provider("us-east-1") + reads("dr", "dr.tfstate") + bucket("data") + REPLICATION,
        "dr/main.tf": backend("dr.tfstate") + provider("us-west-2") + bucket("replica")
        + 'output "replica_arn" {\n  value = aws_s3_bucket.replica.arn\n}\n',
    })
    # Neither the source (replicated to us-west-2) nor the replica is flagged.
    assert findings(capsys, Path("."), "RES103") == []
    primary = project(Path(".")).unit("primary")
    assert primary is not None
    rule = primary.resource("aws_s3_bucket_replication_configuration.data")
    assert rule is not None
    (target,) = [r.target for r in rule.references if r.path.startswith("rule")]
    assert target == "@dr//aws_s3_bucket.replica"
    (replica,) = primary.resolve(target)
    assert (replica.unit, replica.type, replica.region) == ("dr", "aws_s3_bucket", "us-west-2")


def test_without_the_link_the_replica_is_judged_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        # The primary reads a state no root of the scan has: the destination stays unknown.
        "primary/main.tf": backend("primary.tfstate") + provider("us-east-1") + reads("dr", "elsewhere.tfstate") + bucket("data") + REPLICATION,
        "dr/main.tf": backend("dr.tfstate") + provider("us-west-2") + bucket("replica")
        + 'output "replica_arn" {\n  value = aws_s3_bucket.replica.arn\n}\n',
    })
    assert findings(capsys, Path("."), "RES103") == [("RES103", "dr", "aws_s3_bucket.replica")]


def test_a_cross_region_read_replica_in_the_dr_root_replicates_the_primary_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n  multi_az = true\n  instance_class = "db.t3.micro"\n}\n\n'
    write(tmp_path, {
        "primary/main.tf": backend("primary.tfstate") + provider("us-east-1") + db + 'output "db_arn" {\n  value = aws_db_instance.main.arn\n}\n',
        # the replica has the same address as the primary: never taken for a store of its own unit
        "dr/main.tf": backend("dr.tfstate") + provider("us-west-2") + reads("primary", "primary.tfstate")
        + 'resource "aws_db_instance" "main" {\n  replicate_source_db = data.terraform_remote_state.primary.outputs.db_arn\n'
        '  instance_class = "db.t3.micro"\n  multi_az = true\n}\n',
    })
    assert findings(capsys, Path("."), "RES103") == []


def test_a_secondary_failover_target_in_the_dr_root_resolves_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    secondary = '''resource "aws_route53_record" "secondary" {
  zone_id        = "Z123"
  name           = "app.example.com"
  type           = "A"
  set_identifier = "dr"
  failover_routing_policy {
    type = "SECONDARY"
  }
  alias {
    name                   = data.terraform_remote_state.dr.outputs.lb_dns
    zone_id                = data.terraform_remote_state.dr.outputs.lb_zone
    evaluate_target_health = true
  }
}
'''
    write(tmp_path, {
        "primary/main.tf": backend("primary.tfstate") + provider("us-east-1") + reads("dr", "dr.tfstate") + secondary,
        "dr/main.tf": backend("dr.tfstate") + provider("us-west-2") + LB
        + 'output "lb_dns" {\n  value = aws_lb.web.dns_name\n}\n\noutput "lb_zone" {\n  value = aws_lb.web.zone_id\n}\n',
    })
    from resilint.relations.dns import answer_targets, records

    primary = project(Path(".")).unit("primary")
    assert primary is not None
    (record,) = records(primary)
    targets = answer_targets(primary, record)
    assert targets is not None
    assert [(t.unit, t.address, t.region) for t in targets] == [("dr", "aws_lb.web", "us-west-2")]


def test_a_zone_from_another_root_is_that_roots_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    simple = '''resource "aws_route53_record" "www" {
  zone_id = data.terraform_remote_state.dns.outputs.zone_id
  name    = "www.example.com"
  type    = "A"
  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}
'''
    write(tmp_path, {
        "dns/main.tf": backend("dns.tfstate") + provider("us-east-1")
        + 'resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n\noutput "zone_id" {\n  value = aws_route53_zone.main.zone_id\n}\n',
        "app/main.tf": provider("us-east-1") + reads("dns", "dns.tfstate") + LB + simple,
    })
    # The zone is public (the dns root says so), so the one-endpoint name is noted.
    assert findings(capsys, Path("."), "RES307") == [("RES307", "app", "aws_route53_record.www")]


def test_roots_that_read_each_other_do_not_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "a/main.tf": backend("a.tfstate") + provider("us-east-1") + reads("b", "b.tfstate")
        + 'output "x" {\n  value = data.terraform_remote_state.b.outputs.y\n}\n',
        "b/main.tf": backend("b.tfstate") + provider("us-west-2") + reads("a", "a.tfstate")
        + 'output "y" {\n  value = data.terraform_remote_state.a.outputs.x\n}\n',
    })
    loaded = project(Path("."))
    assert [s.units for s in loaded.systems] == [("a", "b")]
    assert loaded.problems == ()


def test_the_parse_cache_sees_a_change_in_the_root_that_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {
        "primary/main.tf": backend("primary.tfstate") + provider("us-east-1") + reads("dr", "dr.tfstate") + bucket("data") + REPLICATION,
        "dr/main.tf": backend("dr.tfstate") + provider("us-west-2") + bucket("replica")
        + 'output "replica_arn" {\n  value = aws_s3_bucket.replica.arn\n}\n',
    }
    write(tmp_path, files)

    def cached_scan() -> list[str | None]:
        main(["scan", ".", "--format", "json", "--select", "RES103"])
        return [f["resource"] for f in json.loads(capsys.readouterr().out)["findings"]]

    assert cached_scan() == []
    # The DR bucket moves to the primary's region: the primary's data is no longer copied elsewhere.
    write(tmp_path, {"dr/main.tf": files["dr/main.tf"].replace("us-west-2", "us-east-1")})
    assert cached_scan() == ["aws_s3_bucket.data"]


def test_failover_records_pair_across_units_through_a_zone_read_from_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def record(name: str, kind: str, zone: str, health: str = "") -> str:
        return (
            f'resource "aws_route53_record" "{name}" {{\n  zone_id = {zone}\n  name = "app.example.com"\n  type = "A"\n'
            f'  set_identifier = "{name}"\n{health}  failover_routing_policy {{\n    type = "{kind}"\n  }}\n'
            '  alias {\n    name = aws_lb.web.dns_name\n    zone_id = aws_lb.web.zone_id\n    evaluate_target_health = true\n  }\n}\n\n'
        )

    zones = 'resource "aws_route53_zone" "main" {\n  name = "example.com"\n}\n\nresource "aws_route53_zone" "other" {\n  name = "example.org"\n}\n\n'
    outputs = 'output "zone_id" {\n  value = aws_route53_zone.main.zone_id\n}\n\noutput "other_zone_id" {\n  value = aws_route53_zone.other.zone_id\n}\n'
    health = '  health_check_id = aws_route53_health_check.web.id\n'
    check = 'resource "aws_route53_health_check" "web" {\n  fqdn = aws_lb.web.dns_name\n  type = "HTTPS"\n}\n\n'
    write(tmp_path, {
        "dns/main.tf": backend("dns.tfstate") + provider("us-east-1") + zones + LB + check
        + record("primary", "PRIMARY", "aws_route53_zone.main.zone_id", health) + outputs,
        "dr/main.tf": provider("us-west-2") + reads("dns", "dns.tfstate") + LB
        + record("secondary", "SECONDARY", "data.terraform_remote_state.dns.outputs.zone_id"),
    })
    assert findings(capsys, Path("."), "RES301") == []
    # the same record in the other zone has no PRIMARY there, and the primary no SECONDARY
    text = (tmp_path / "dr/main.tf").read_text().replace("outputs.zone_id", "outputs.other_zone_id")
    (tmp_path / "dr/main.tf").write_text(text)
    assert sorted(findings(capsys, Path("."), "RES301")) == [
        ("RES301", "dns", "aws_route53_record.primary"),
        ("RES301", "dr", "aws_route53_record.secondary"),
    ]
