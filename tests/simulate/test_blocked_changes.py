"""The us-east-1 scenario lists what a system cannot change while us-east-1 is down: the
dependencies RES402 reports (relations.control_planes), without changing the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write

SITE = """
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_s3_bucket" "site" {
  bucket = "example-site"
}

resource "aws_acm_certificate" "site" {
  provider          = aws.us_east_1
  domain_name       = "www.example.com"
  validation_method = "DNS"
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = "{}"
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true

  origin {
    domain_name = aws_s3_bucket.site.bucket_regional_domain_name
    origin_id   = "site"
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn = aws_acm_certificate.site.arn
    ssl_support_method  = "sni-only"
  }
}
"""


def _json(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> dict[str, object]:
    main(["simulate", str(path), "--no-cache", "--format", "json", *argv])
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return document


def test_the_scenario_blocks_changes_but_the_site_stays_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    document = _json(capsys, tmp_path, "--scenario", "aws-us-east-1-2025-10-20")
    (system,) = document["systems"]  # type: ignore[misc]
    assert system["verdict"] == "up"
    assert [(b["service"], b["what"], b["line"]) for b in system["blocked_changes"]] == [
        ("ACM certificate for CloudFront", "aws_acm_certificate.site", 15),
        ("IAM", "aws_iam_role.deploy", 21),
        ("CloudFront", "aws_cloudfront_distribution.site", 26),
    ]
    assert system["blocked_changes"][0]["effect"] == "it cannot be issued, renewed or replaced"


def test_one_control_plane_blocks_only_its_own_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    document = _json(capsys, tmp_path, "--fail", "aws:iam-control-plane")
    (system,) = document["systems"]  # type: ignore[misc]
    assert [b["service"] for b in system["blocked_changes"]] == ["IAM"]


def test_another_region_blocks_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    document = _json(capsys, tmp_path, "--fail", "aws:eu-west-1")
    (system,) = document["systems"]  # type: ignore[misc]
    assert system["blocked_changes"] == []


def test_text_lists_blocked_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"site/main.tf": SITE})
    main(["simulate", str(tmp_path), "--no-cache", "--scenario", "aws-us-east-1-2025-10-20"])
    out = capsys.readouterr().out
    assert "  change blocked   CloudFront (aws_cloudfront_distribution.site): its configuration cannot be changed (it goes on serving)\n" in out


def test_one_modules_parts_in_two_roots_of_a_system_are_told_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A primary and a DR root calling one DNS module listed the module's record twice, word for
    word, as an entry point and as a blocked change: which root each was could not be read."""
    module = (
        'variable "name" {}\n\nresource "aws_route53_zone" "z" {\n  name = "orders-shop.io"\n}\n\n'
        'resource "aws_route53_record" "r" {\n  zone_id = aws_route53_zone.z.zone_id\n  name    = var.name\n'
        '  type    = "A"\n  ttl     = 60\n  records = ["192.0.2.1"]\n}\n'
    )
    root = 'provider "aws" {{\n  region = "{}"\n}}\n\nmodule "dns" {{\n  source = "../../modules/dns"\n}}\n'
    write(tmp_path, {
        "modules/dns/main.tf": module,
        "environments/primary/main.tf": root.format("us-east-1"),
        "environments/dr/main.tf": root.format("us-west-2"),
    })
    main(["simulate", str(tmp_path / "environments"), "--no-cache", "--scenario", "aws-us-east-1-2025-10-20"])
    lines = capsys.readouterr().out.splitlines()
    entries = sorted(line.split(" → ")[0].split("  ")[-1] for line in lines if line.startswith("  entry"))
    assert len(entries) == 2 and entries[0] != entries[1]
    assert entries[0].endswith("environments/dr (name not known)") and " in " in entries[0]
    blocked = [line for line in lines if line.startswith("  change blocked")]
    assert len(blocked) == 2 and blocked[0] != blocked[1]
    assert [line.split("): ")[0].rsplit("/", 1)[-1] for line in blocked] == ["dr", "primary"]
