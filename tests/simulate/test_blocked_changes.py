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
